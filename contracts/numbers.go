package contracts

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	xlanguage "golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/number"

	"github.com/pdw-registry/pdw/models"
)

// numberFormat writes numbers, amounts and dates for one language with
// golang.org/x/text (CLDR data): its digits (Devanagari digits for
// Nepali, Bengali digits for Bengali, ASCII digits elsewhere unless the
// message file asks otherwise), its decimal separator and its grouping
// ("1,400.00", "1 400,00", "1.400,00", "१,४००.००").
//
// golang.org/x/text has no date formatting: a language's dates follow
// its message file's date_format and month names (language.date), and
// date here writes the fallback, year-month-day, in the language's
// digits.
type numberFormat struct {
	p       *message.Printer
	decimal string
	digits  [10]string
	ascii   bool // digits are ASCII
	nu      string
}

// system names the numbering system ("latn", "deva").
func (f *numberFormat) system() string { return f.nu }

// newNumberFormat returns the format of language tag; numbering, when not
// empty, is a CLDR numbering system ("latn", "deva", "beng", "arab", …)
// that replaces the language's default.
func newNumberFormat(tag, numbering string) (*numberFormat, error) {
	t, err := xlanguage.Parse(tag)
	if err != nil {
		return nil, fmt.Errorf("language tag %q: %v", tag, err)
	}
	if numbering != "" {
		if t, err = t.SetTypeForKey("nu", numbering); err != nil {
			return nil, fmt.Errorf("numbering system %q: %v", numbering, err)
		}
	}
	f := &numberFormat{p: message.NewPrinter(t), ascii: true, nu: numbering}
	if numbering == "" {
		f.nu = "default"
	}
	for d := range 10 {
		f.digits[d] = f.p.Sprint(number.Decimal(d))
		if utf8.RuneCountInString(f.digits[d]) != 1 {
			return nil, fmt.Errorf("numbering system %q: digit %d is %q", numbering, d, f.digits[d])
		}
		if f.digits[d] != strconv.Itoa(d) {
			f.ascii = false
		}
	}
	if numbering != "" && numbering != "latn" && f.ascii {
		return nil, fmt.Errorf("numbering system %q is not known (CLDR codes such as latn, deva, beng, arab)", numbering)
	}
	// The separator between the digits of 1.5.
	onePointFive := f.p.Sprint(number.Decimal(1.5))
	f.decimal = strings.TrimSuffix(strings.TrimPrefix(onePointFive, f.digits[1]), f.digits[5])
	if f.decimal == "" || f.decimal == onePointFive {
		return nil, fmt.Errorf("no decimal separator in %q", onePointFive)
	}
	return f, nil
}

// number writes v with at most three decimals and no trailing zeros
// ("1.5", "1,5", "१.५").
func (f *numberFormat) number(v float64) string {
	return f.p.Sprint(number.Decimal(v, number.MaxFractionDigits(3)))
}

// integer writes n, grouped ("1,400", "1 400").
func (f *numberFormat) integer(n int) string {
	return f.p.Sprint(number.Decimal(n))
}

// amount writes minor units of currency with the currency's decimals, as
// models.FormatAmount does, grouped and in the language's digits and
// separators ("1,200.00", "1 200,00", "१,२००.००"). The whole part is
// formatted as an integer and the decimals appended, so no amount is
// rounded through a float.
func (f *numberFormat) amount(minor int64, currency string) string {
	s := models.FormatAmount(minor, currency)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil { // cannot happen: FormatAmount writes digits
		return f.digitsOf(models.FormatAmount(minor, currency))
	}
	if neg {
		w = -w
	}
	out := f.p.Sprint(number.Decimal(w))
	if neg && w == 0 {
		out = "-" + out
	}
	if frac != "" {
		out += f.decimal + f.digitsOf(frac)
	}
	return out
}

// date writes d as year-month-day in the language's digits.
func (f *numberFormat) date(d models.Date) string {
	return f.digitsOf(d.String())
}

// digitsOf replaces the ASCII digits of s with the language's.
func (f *numberFormat) digitsOf(s string) string {
	if f.ascii {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteString(f.digits[r-'0'])
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
