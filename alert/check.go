package alert

// CheckTemplate reports whether s is a valid message template, so config
// validation can point at the `message` key instead of failing at send time.
func CheckTemplate(s string) error {
	_, err := parseTemplate(s)
	return err
}
