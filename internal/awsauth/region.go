package awsauth

import "fmt"

// InvalidRegionError is botocore's InvalidRegionError, as amazon.aws
// reports it: a region must be a host label, so that it cannot change the
// endpoint's host name (us-east-1.evil would make sts.us-east-1.evil.amazonaws.com).
type InvalidRegionError struct{ Region string }

func (e *InvalidRegionError) Error() string {
	return fmt.Sprintf("Couldn't connect to AWS: Provided region_name '%s' doesn't match a supported format.", e.Region)
}

// checkRegion applies botocore's validate_region_name: at most 63
// letters, digits and hyphens, not all digits, no hyphen first or last.
// (Python's $ would also let a final newline through; it is refused here,
// as no host name can hold it.)
func checkRegion(region string) error {
	digits := true
	for _, c := range region {
		switch {
		case c >= '0' && c <= '9':
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '-':
			digits = false
		default:
			return &InvalidRegionError{Region: region}
		}
	}
	n := len(region)
	if n > 63 || (n > 0 && digits) || (n > 0 && (region[0] == '-' || region[n-1] == '-')) {
		return &InvalidRegionError{Region: region}
	}
	return nil
}
