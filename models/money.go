package models

import (
	"errors"
	"strconv"
	"strings"
)

// currencyExponents maps each active ISO 4217 currency code (List One as
// published 1 January 2026, including fund codes such as CHE, CLF or UYW)
// to its minor-unit exponent. Codes whose minor unit is "N.A." (precious
// metals, SDR, bond-market units, XSU, XUA, XTS, XXX) are left out: no wage
// is paid in them. Withdrawn codes (HRK, BGN, ANG, SLL, ZWL, CUC, ...) are
// left out too.
var currencyExponents = func() map[string]int {
	m := make(map[string]int)
	for exp, list := range []string{
		0: "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF",
		2: "AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BMD BND BOB BOV BRL BSD " +
			"BTN BWP BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK " +
			"DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL " +
			"HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD " +
			"LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD " +
			"NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD " +
			"SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP " +
			"TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XAD XCD XCG YER ZAR " +
			"ZMW ZWG",
		3: "BHD IQD JOD KWD LYD OMR TND",
		4: "CLF UYW",
	} {
		for _, c := range strings.Fields(list) {
			m[c] = exp
		}
	}
	return m
}()

// CurrencyExponent returns the number of minor-unit digits of an active ISO
// 4217 currency (2 for CHF, 0 for JPY, 3 for KWD) and whether the code is
// known. Codes are upper case.
func CurrencyExponent(code string) (int, bool) {
	e, ok := currencyExponents[code]
	return e, ok
}

// MaxAmountMajor is the largest amount, in major units, that ParseAmount accepts.
const MaxAmountMajor = 1_000_000_000_000

var pow10 = [...]int64{1, 10, 100, 1000, 10000}

// ParseAmount parses a non-negative decimal amount such as "1200.00" or
// "1200" into minor units of currency (120000 for CHF). It refuses signs,
// exponents, spaces, thousands separators, more decimals than the currency
// has and amounts over MaxAmountMajor. Its errors are sentences for people.
func ParseAmount(s, currency string) (int64, error) {
	exp, ok := CurrencyExponent(currency)
	if !ok {
		return 0, errors.New("cannot be read: the currency is not a known ISO 4217 code")
	}
	bad := errors.New("must be an amount like " + FormatAmount(1200*pow10[exp], currency))
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || !isDigits(whole) || hasDot && (frac == "" || !isDigits(frac)) {
		return 0, bad
	}
	if len(frac) > exp {
		if exp == 0 {
			return 0, errors.New("must be a whole amount: " + currency + " has no minor unit")
		}
		return 0, errors.New("must have at most " + strconv.Itoa(exp) + " decimal places")
	}
	whole = strings.TrimLeft(whole, "0")
	if len(whole) > 13 {
		return 0, tooLarge(currency)
	}
	var major int64
	for i := 0; i < len(whole); i++ {
		major = major*10 + int64(whole[i]-'0')
	}
	if major > MaxAmountMajor {
		return 0, tooLarge(currency)
	}
	var minor int64
	for i := 0; i < exp; i++ {
		minor *= 10
		if i < len(frac) {
			minor += int64(frac[i] - '0')
		}
	}
	v := major*pow10[exp] + minor
	if v > MaxAmountMajor*pow10[exp] {
		return 0, tooLarge(currency)
	}
	return v, nil
}

func tooLarge(currency string) error {
	return errors.New("must be at most " + FormatAmount(MaxAmountMajor*pow10[exponentOr2(currency)], currency))
}

func exponentOr2(currency string) int {
	if e, ok := CurrencyExponent(currency); ok {
		return e
	}
	return 2
}

// FormatAmount writes minor units of currency as a plain decimal string:
// "1200.00" for 120000 CHF, "1200" for 1200 JPY, "1.500" for 1500 KWD. An
// unknown currency is written with two decimals. ParseAmount reads the
// result back to the same value.
func FormatAmount(minor int64, currency string) string {
	exp := exponentOr2(currency)
	neg := minor < 0
	u := uint64(minor)
	if neg {
		u = -u
	}
	s := strconv.FormatUint(u, 10)
	if exp > 0 {
		if len(s) <= exp {
			s = strings.Repeat("0", exp-len(s)+1) + s
		}
		s = s[:len(s)-exp] + "." + s[len(s)-exp:]
	}
	if neg {
		s = "-" + s
	}
	return s
}
