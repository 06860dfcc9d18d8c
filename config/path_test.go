package config

import (
	"errors"
	"testing"
)

func TestResolve(t *testing.T) {
	t.Parallel()
	scenarios := []struct {
		name    string
		flag    string
		env     map[string]string
		files   []string
		want    string
		wantErr string
	}{
		{name: "flag wins even if missing", flag: "x.toml", files: []string{"services.toml"}, want: "x.toml"},
		{name: "working directory first", env: map[string]string{"XDG_CONFIG_HOME": "/xdg"},
			files: []string{"services.toml", "/xdg/uptop/services.toml"}, want: "services.toml"},
		{name: "XDG_CONFIG_HOME", env: map[string]string{"XDG_CONFIG_HOME": "/xdg", "HOME": "/home/u"},
			files: []string{"/xdg/uptop/services.toml", "/home/u/.config/uptop/services.toml"}, want: "/xdg/uptop/services.toml"},
		{name: "HOME/.config when XDG_CONFIG_HOME is empty", env: map[string]string{"XDG_CONFIG_HOME": "", "HOME": "/home/u"},
			files: []string{"/home/u/.config/uptop/services.toml"}, want: "/home/u/.config/uptop/services.toml"},
		{name: "nothing found says where it looked", env: map[string]string{"HOME": "/home/u"},
			wantErr: "no config file found: tried ./services.toml and /home/u/.config/uptop/services.toml; copy services.toml from the uptop repository to one of them, or pass --config FILE (or try `uptop demo`)"},
		{name: "no HOME either",
			wantErr: "no config file found: tried ./services.toml and $XDG_CONFIG_HOME/uptop/services.toml (neither XDG_CONFIG_HOME nor HOME is set); copy services.toml from the uptop repository to one of them, or pass --config FILE (or try `uptop demo`)"},
	}
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			t.Parallel()
			exists := func(p string) bool {
				for _, f := range sc.files {
					if f == p {
						return true
					}
				}
				return false
			}
			got, err := Resolve(sc.flag, envOf(sc.env), exists)
			if sc.wantErr != "" {
				if err == nil || err.Error() != sc.wantErr || !errors.Is(err, ErrNoConfig) {
					t.Fatalf("err = %v\nwant %s (wrapping ErrNoConfig)", err, sc.wantErr)
				}
				return
			}
			if err != nil || got != sc.want {
				t.Errorf("Resolve = %q, %v; want %q", got, err, sc.want)
			}
		})
	}
}
