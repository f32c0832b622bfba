package moduleargs

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"regexp"
	"strings"
	"sync"
	"unicode"

	"ansible-sts/internal/pyvalue"
)

// ansible-core 2.19 rewrote AnsibleModule's type checks. Where the
// controller is 2.19 or later (its _ansible_version), the modules convert
// as it does:
//
//   - an option given as null is converted when it is required or has a
//     default, instead of being skipped: a str becomes "", other types fail;
//   - an int goes through Python's Decimal (2.22 also catches the overflow
//     of an infinity): "3600.0", 3600.0 and "3.6e3"
//     are 3600, "1.5" and 1.5 fail, and the message quotes the value's
//     repr ("'1h'" cannot be converted to an int);
//   - a message names the value's type bare (str, not <class 'str'>), and
//     an invalid boolean's has one space before "Valid booleans".

// decimalRE is the syntax of a finite number Python's Decimal() reads,
// without the surrounding white space it also takes; underscores group
// digits as in Python literals.
//
// It is compiled on first use: only a string given to an int option on
// 2.19 or later needs it, and every module run would pay for it.
var decimalRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$`)
})

// maxExponent bounds the exponent of a number written in a string. Python
// would compute 10**999999999 at length; no option of the modules takes a
// number of more than a few digits.
const maxExponent = 4300

// toInt219 follows check_type_int from ansible-core 2.19 on. An infinity
// makes Python's int() raise OverflowError, which 2.22 catches (as any
// ArithmeticError) and 2.19 does not: its module crashes, where ours fails
// with Python's words.
func toInt219(v any, catchesOverflow bool) (any, error) {
	fail := fmt.Errorf(`"%s" cannot be converted to an int`, pyvalue.Repr(v))
	overflow := errors.New("cannot convert Infinity to integer")
	if catchesOverflow {
		overflow = fail
	}
	var r *big.Rat
	switch t := v.(type) {
	case int64, json.Number, bool:
		return t, nil
	case float64:
		if math.IsNaN(t) {
			return nil, fail
		}
		if math.IsInf(t, 0) {
			return nil, overflow
		}
		r = new(big.Rat).SetFloat64(t)
	case string:
		s := strings.TrimFunc(t, unicode.IsSpace)
		switch strings.ToLower(strings.TrimLeft(s, "+-")) {
		case "inf", "infinity":
			return nil, overflow
		}
		if !decimalRE().MatchString(s) {
			return nil, fail
		}
		s = strings.ReplaceAll(s, "_", "")
		if i := strings.IndexAny(s, "eE"); i >= 0 {
			var exp int
			if _, err := fmt.Sscan(s[i+1:], &exp); err != nil || exp > maxExponent || exp < -maxExponent {
				return nil, fail
			}
		}
		var ok bool
		if r, ok = new(big.Rat).SetString(s); !ok {
			return nil, fail
		}
	default:
		return nil, fail
	}
	if !r.IsInt() {
		return nil, fail
	}
	n := r.Num()
	if n.IsInt64() {
		return n.Int64(), nil
	}
	return json.Number(n.String()), nil
}
