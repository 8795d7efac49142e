package web

import (
	"net/url"
	"testing"

	"github.com/pdw-registry/pdw/models"
)

func TestForm_Read(t *testing.T) {
	tests := []struct {
		name   string
		values url.Values
		fields []string // fields with errors
	}{
		{"empty", url.Values{}, nil},
		{"good", url.Values{"terms.weekly_hours": {"45,5"}, "terms.public_holidays": {"8"}, "start_date": {"2026-12-01"}}, nil},
		{"word in a number", url.Values{"terms.weekly_hours": {"many"}}, []string{"terms.weekly_hours"}},
		{"fraction in a whole number", url.Values{"terms.public_holidays": {"8.5"}}, []string{"terms.public_holidays"}},
		{"bad date", url.Values{"start_date": {"01/12/2026"}}, []string{"start_date"}},
		{"NaN", url.Values{"terms.weekly_hours": {"NaN"}}, []string{"terms.weekly_hours"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newForm(tt.values)
			f.terms()
			f.date("start_date")
			if got, want := len(f.fields), len(tt.fields); got != want {
				t.Fatalf("errors %v, want on %v", f.fields, tt.fields)
			}
			for _, name := range tt.fields {
				if _, ok := f.fields[name]; !ok {
					t.Errorf("no error on %s: %v", name, f.fields)
				}
			}
			if len(tt.fields) > 0 && models.ErrorCode(f.err()) != models.EBADREQUEST {
				t.Errorf("err()=%v, want EBADREQUEST", f.err())
			}
		})
	}
	f := newForm(url.Values{"terms.duties": {" cooking, , cleaning "}, "terms.own_lockable_room": {"1"}})
	in := f.terms()
	if len(in.Duties) != 2 || in.Duties[0] != "cooking" || in.Duties[1] != "cleaning" {
		t.Errorf("duties %q", in.Duties)
	}
	if !*in.OwnLockableRoom || *in.WorkerKeepsPassport {
		t.Errorf("checkboxes: room %v passport %v", *in.OwnLockableRoom, *in.WorkerKeepsPassport)
	}
}

// FuzzForm reads any submitted values without panicking; every problem is
// a field error naming an input of the form.
func FuzzForm(f *testing.F) {
	for _, s := range []string{"terms.weekly_hours=45", "start_date=2026-13-40&terms.pay_day=99999999999", "terms.duties=%ff%fe", "a=b&a=c"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, q string) {
		v, err := url.ParseQuery(q)
		if err != nil {
			return
		}
		fm := newForm(v)
		fm.terms()
		fm.date("start_date")
		fm.date("end_date")
		fm.str("worker_id")
		for name := range fm.fields {
			if _, ok := v[name]; !ok {
				t.Fatalf("error on %q, which was not submitted", name)
			}
		}
	})
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"/employments/1": "/employments/1", "//evil.example": "/", "https://evil.example": "/",
		"/\\evil.example": "/", "": "/", "/a\r\nb": "/",
	} {
		if got := nextPath(in); got != want {
			t.Errorf("nextPath(%q)=%q, want %q", in, got, want)
		}
	}
}
