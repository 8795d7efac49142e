package api

import (
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/pdw-registry/pdw/models"
)

type testTerms struct {
	MonthlyNetWage string   `json:"monthly_net_wage"`
	WeeklyHours    *float64 `json:"weekly_hours"`
	PublicHolidays *int     `json:"public_holidays"`
	OwnRoom        *bool    `json:"own_lockable_room"`
	Duties         []string `json:"duties"`
}

type testEmployment struct {
	WorkerID  string       `json:"worker_id"`
	StartDate *models.Date `json:"start_date"`
	Terms     *testTerms   `json:"terms"`
	Items     []struct {
		Name string `json:"name"`
	} `json:"items"`
}

// testBase is embedded by value in testWide; its fields are promoted.
type testBase struct {
	ID   string `json:"id"`
	Note string `json:"note,omitempty"`
}

// TestPromoted is embedded by pointer in testWide; it is exported so that
// encoding/json can allocate it.
type TestPromoted struct {
	Level int `json:"level"`
}

type testLanguage struct {
	Level string `json:"level"`
}

// testWide exercises the parts of the path search testEmployment does not.
type testWide struct {
	testBase
	*TestPromoted
	Secret    string                  `json:"-"`
	Name      string                  // untagged: key "Name", matched case-insensitively
	Languages map[string]testLanguage `json:"languages,omitempty"`
	ByID      map[int]string          `json:"by_id"`
	Grid      [2][]int                `json:"grid"`
	Count     uint8                   `json:"count"`
	N         int                     `json:"n"`
	Any       any                     `json:"any"`
	Day       models.Date             `json:"day"`
	When      *time.Time              `json:"when"`
	Wage      int                     `json:"wage,string"`
}

func TestDecodeJSON(t *testing.T) {
	const (
		badRequest = models.EBADREQUEST
		wrongType  = "request body has a field of the wrong type"
		unknown    = "request body has an unknown field"
		invalid    = "request body has an invalid value"
		single     = "request body must hold a single JSON object"
	)
	tests := []struct {
		name   string
		body   string
		dst    any // default: new(testEmployment)
		code   string
		msg    string // checked when not empty
		fields map[string]string
	}{
		{name: "valid", body: `{"worker_id":"w1","start_date":"2026-02-28","terms":{"monthly_net_wage":"1200.50","weekly_hours":48,"public_holidays":10,"own_lockable_room":true,"duties":["cooking"]},"items":[{"name":"a"}]}`},
		{name: "valid empty object", body: `{}`},
		{name: "valid nulls", body: `{"start_date":null,"terms":null,"items":null}`},
		{name: "valid white space around", body: " \r\n\t{}\n "},

		{name: "empty", body: ``, code: badRequest, msg: "request body is empty"},
		{name: "only white space", body: " \n\t ", code: badRequest, msg: "request body is empty"},
		{name: "null", body: `null`, code: badRequest, msg: single},
		{name: "array", body: `[{}]`, code: badRequest, msg: single},
		{name: "string", body: `"SECRET"`, code: badRequest, msg: single},
		{name: "number", body: `1`, code: badRequest, msg: single},
		{name: "two objects", body: `{} {}`, code: badRequest, msg: single},
		{name: "trailing garbage", body: `{"worker_id":"w1"}SECRET`, code: badRequest, msg: single},
		{name: "trailing bracket", body: `{}]`, code: badRequest, msg: single},

		{name: "malformed value", body: `{"worker_id":SECRET}`, code: badRequest, msg: "malformed JSON at byte 14"},
		{name: "malformed key", body: `{worker_id:1}`, code: badRequest, msg: "malformed JSON at byte 2"},
		{name: "truncated", body: `{"worker_id":"SECRET"`, code: badRequest, msg: "malformed JSON at byte 21"},
		{name: "truncated string", body: `{"worker_id":"SECR`, code: badRequest, msg: "malformed JSON at byte 18"},
		{name: "bad second value is not parsed", body: `{}{`, code: badRequest, msg: single},

		{name: "unknown top-level field", body: `{"foo":"SECRET"}`, code: badRequest, msg: unknown, fields: map[string]string{"foo": "unknown field"}},
		{name: "unknown nested field", body: `{"terms":{"foo":1}}`, code: badRequest, msg: unknown, fields: map[string]string{"terms.foo": "unknown field"}},
		{name: "unknown field in list element", body: `{"items":[{},{"nme":1}]}`, code: badRequest, msg: unknown, fields: map[string]string{"items[1].nme": "unknown field"}},
		{name: "first unknown field in body order", body: `{"terms":{"zz":1},"aa":2}`, code: badRequest, msg: unknown, fields: map[string]string{"terms.zz": "unknown field"}},
		{name: "unknown key repeated at several levels", body: `{"items":[{"x":1}],"x":2}`, code: badRequest, fields: map[string]string{"items[0].x": "unknown field"}},
		{name: "unknown key with a dot", body: `{"terms":{"a.b":1}}`, code: badRequest, fields: map[string]string{`terms["a.b"]`: "unknown field"}},
		{name: "unknown empty key", body: `{"":1}`, code: badRequest, fields: map[string]string{`[""]`: "unknown field"}},
		{name: "unknown long key is cut", body: `{"` + strings.Repeat("k", 100) + `":1}`, code: badRequest, fields: map[string]string{strings.Repeat("k", 64) + "…": "unknown field"}},
		{name: "unknown field after type error", body: `{"worker_id":1,"foo":1}`, code: badRequest, fields: map[string]string{"worker_id": "must be a string"}},

		{name: "string for number", body: `{"terms":{"weekly_hours":"SECRET"}}`, code: badRequest, msg: wrongType, fields: map[string]string{"terms.weekly_hours": "must be a number"}},
		{name: "number for string", body: `{"terms":{"monthly_net_wage":1200}}`, code: badRequest, fields: map[string]string{"terms.monthly_net_wage": "must be a string"}},
		{name: "string for bool", body: `{"terms":{"own_lockable_room":"yes"}}`, code: badRequest, fields: map[string]string{"terms.own_lockable_room": "must be true or false"}},
		{name: "string for list", body: `{"terms":{"duties":"cooking"}}`, code: badRequest, fields: map[string]string{"terms.duties": "must be a list"}},
		{name: "number in list of strings", body: `{"terms":{"duties":["a",1]}}`, code: badRequest, fields: map[string]string{"terms.duties[1]": "must be a string"}},
		{name: "string for object", body: `{"terms":"SECRET"}`, code: badRequest, fields: map[string]string{"terms": "must be an object"}},
		{name: "list for object", body: `{"terms":[]}`, code: badRequest, fields: map[string]string{"terms": "must be an object"}},
		{name: "object for string", body: `{"worker_id":{"a":"SECRET"}}`, code: badRequest, fields: map[string]string{"worker_id": "must be a string"}},
		{name: "fraction for int", body: `{"terms":{"public_holidays":1.5}}`, code: badRequest, fields: map[string]string{"terms.public_holidays": "must be a whole number"}},
		{name: "huge number for int", body: `{"terms":{"public_holidays":1e30}}`, code: badRequest, fields: map[string]string{"terms.public_holidays": "must be a whole number in range"}},
		{name: "long integer for int", body: `{"terms":{"public_holidays":99999999999999999999}}`, code: badRequest, fields: map[string]string{"terms.public_holidays": "must be a whole number in range"}},
		{name: "decimal point for int", body: `{"terms":{"public_holidays":1.0}}`, code: badRequest, fields: map[string]string{"terms.public_holidays": "must be a whole number written without a decimal point or exponent"}},
		{name: "string for int", body: `{"terms":{"public_holidays":"10"}}`, code: badRequest, fields: map[string]string{"terms.public_holidays": "must be a whole number"}},
		{name: "huge number for float", body: `{"terms":{"weekly_hours":1e400}}`, code: badRequest, fields: map[string]string{"terms.weekly_hours": "must be a number in range"}},
		{name: "type error in second list element", body: `{"items":[{"name":"a"},{"name":2}]}`, code: badRequest, fields: map[string]string{"items[1].name": "must be a string"}},
		{name: "first type error in body order", body: `{"items":[{"name":true}],"worker_id":1}`, code: badRequest, fields: map[string]string{"items[0].name": "must be a string"}},

		{name: "impossible date", body: `{"start_date":"2026-02-30"}`, code: badRequest, msg: invalid, fields: map[string]string{"start_date": "must be a real date written YYYY-MM-DD"}},
		{name: "date in another format", body: `{"start_date":"30/02/2026"}`, code: badRequest, msg: invalid, fields: map[string]string{"start_date": "must be a date written YYYY-MM-DD"}},
		{name: "date as a number", body: `{"start_date":20260230}`, code: badRequest, fields: map[string]string{"start_date": "must be a date written YYYY-MM-DD"}},
		{name: "date as an object", body: `{"start_date":{"SECRET":1}}`, code: badRequest, fields: map[string]string{"start_date": "must be a date written YYYY-MM-DD"}},
		{name: "date error after a type error", body: `{"worker_id":1,"start_date":"SECRET-999"}`, code: badRequest, fields: map[string]string{"start_date": "must be a date written YYYY-MM-DD"}},

		// testWide: embedded structs, maps, arrays, tags, Unmarshalers.
		{name: "wide valid", dst: new(testWide), body: `{"id":"x","level":3,"NAME":"n","languages":{"fr":{"level":"b2"}},"by_id":{"7":"x"},"grid":[[1],[2],["skipped past the array's end"]],"count":255,"any":{"a":[1,"b",null]},"day":"2026-01-31","wage":"12"}`},
		{name: "promoted field", dst: new(testWide), body: `{"id":1}`, code: badRequest, fields: map[string]string{"id": "must be a string"}},
		{name: "field promoted through a pointer", dst: new(testWide), body: `{"level":"x"}`, code: badRequest, fields: map[string]string{"level": "must be a whole number"}},
		{name: "json dash field is unknown", dst: new(testWide), body: `{"Secret":"x"}`, code: badRequest, fields: map[string]string{"Secret": "unknown field"}},
		{name: "embedded struct name is unknown", dst: new(testWide), body: `{"testBase":{}}`, code: badRequest, fields: map[string]string{"testBase": "unknown field"}},
		{name: "case-insensitive key", dst: new(testWide), body: `{"NAME":1}`, code: badRequest, fields: map[string]string{"Name": "must be a string"}},
		{name: "map value type error", dst: new(testWide), body: `{"languages":{"fr":{"level":1}}}`, code: badRequest, fields: map[string]string{"languages.fr.level": "must be a string"}},
		{name: "map value unknown field", dst: new(testWide), body: `{"languages":{"fr":{"levl":"b2"}}}`, code: badRequest, fields: map[string]string{"languages.fr.levl": "unknown field"}},
		{name: "map key not a number", dst: new(testWide), body: `{"by_id":{"x":"a"}}`, code: badRequest, fields: map[string]string{"by_id": "must be a whole number"}},
		{name: "map for list", dst: new(testWide), body: `{"languages":[]}`, code: badRequest, fields: map[string]string{"languages": "must be an object"}},
		{name: "nested array", dst: new(testWide), body: `{"grid":[[1],[2,"x"]]}`, code: badRequest, fields: map[string]string{"grid[1][1]": "must be a whole number"}},
		{name: "uint8 over range", dst: new(testWide), body: `{"count":256}`, code: badRequest, fields: map[string]string{"count": "must be a whole number in range"}},
		{name: "negative uint8", dst: new(testWide), body: `{"count":-1}`, code: badRequest, fields: map[string]string{"count": "must be a whole number in range"}},
		{name: "exponent for int", dst: new(testWide), body: `{"n":1e3}`, code: badRequest, fields: map[string]string{"n": "must be a whole number written without a decimal point or exponent"}},
		{name: "huge number in any", dst: new(testWide), body: `{"any":{"a":[1e400]}}`, code: badRequest, fields: map[string]string{"any": "must be a number in range"}},
		{name: "null for a date value", dst: new(testWide), body: `{"day":null}`, code: badRequest, fields: map[string]string{"day": "must be a date written YYYY-MM-DD"}},
		{name: "other UnmarshalJSON error", dst: new(testWide), body: `{"when":"SECRET"}`, code: badRequest, msg: invalid, fields: map[string]string{"when": "is not valid"}},
		{name: "string option misuse", dst: new(testWide), body: `{"wage":"SECRET"}`, code: badRequest, fields: map[string]string{"body": "is not valid"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := tt.dst
			if dst == nil {
				dst = new(testEmployment)
			}
			err := decodeJSON(strings.NewReader(tt.body), dst)
			if tt.code == "" {
				if err != nil {
					t.Fatalf("decodeJSON(%s) = %v, want nil", tt.body, err)
				}
				return
			}
			var got *models.Error
			if !errors.As(err, &got) {
				t.Fatalf("decodeJSON(%s) = %#v, want a *models.Error", tt.body, err)
			}
			if got.Code != tt.code {
				t.Errorf("code = %q, want %q (%v)", got.Code, tt.code, err)
			}
			if tt.msg != "" && got.Message != tt.msg {
				t.Errorf("message = %q, want %q", got.Message, tt.msg)
			}
			if tt.fields != nil && !maps.Equal(got.Fields, tt.fields) {
				t.Errorf("fields = %q, want %q", got.Fields, tt.fields)
			}
			if strings.Contains(err.Error(), "SECRET") {
				t.Errorf("error %q repeats a value from the body", err)
			}
		})
	}
}

func TestDecodeJSONValues(t *testing.T) {
	body := `{"worker_id":"w1","start_date":"2026-02-28","terms":{"monthly_net_wage":"1200.50","weekly_hours":48.5,"public_holidays":10,"own_lockable_room":false,"duties":["cooking","cleaning"]},"items":[{"name":"a"},{"name":"b"}]}`
	var got testEmployment
	if err := decodeJSON(strings.NewReader(body), &got); err != nil {
		t.Fatalf("decodeJSON: %v", err)
	}
	hours, holidays, room := 48.5, 10, false
	want := testEmployment{
		WorkerID:  "w1",
		StartDate: &models.Date{Year: 2026, Month: time.February, Day: 28},
		Terms: &testTerms{
			MonthlyNetWage: "1200.50",
			WeeklyHours:    &hours,
			PublicHolidays: &holidays,
			OwnRoom:        &room,
			Duties:         []string{"cooking", "cleaning"},
		},
	}
	want.Items = append(want.Items, struct {
		Name string `json:"name"`
	}{"a"}, struct {
		Name string `json:"name"`
	}{"b"})
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decodeJSON(%s) gave %+v, want %+v", body, got, want)
	}
}

// TestDecodeJSONTypeErrorField pins what encoding/json puts in
// UnmarshalTypeError.Field, which decodeJSON relies on to pick the failing
// value: the dotted path of JSON field names, without list indexes (hence
// the walk that adds them), and with the Go names of embedded structs.
func TestDecodeJSONTypeErrorField(t *testing.T) {
	tests := []struct {
		body string
		dst  any
		want string
	}{
		{`{"terms":{"weekly_hours":"x"}}`, new(testEmployment), "terms.weekly_hours"},
		{`{"items":[{},{"name":1}]}`, new(testEmployment), "items.name"},
		{`{"start_date":1}`, new(testEmployment), "start_date"},
		{`{"id":1}`, new(testWide), "testBase.id"},
		{`{"languages":{"fr":{"level":1}}}`, new(testWide), "languages.level"},
	}
	for _, tt := range tests {
		err := json.Unmarshal([]byte(tt.body), tt.dst)
		var typeErr *json.UnmarshalTypeError
		if !errors.As(err, &typeErr) {
			t.Errorf("json.Unmarshal(%s) = %v, want an *json.UnmarshalTypeError", tt.body, err)
			continue
		}
		if got := typeErr.Field; got != tt.want {
			t.Errorf("json.Unmarshal(%s): Field = %q, want %q", tt.body, got, tt.want)
		}
	}
}

func TestDecodeJSONBodySize(t *testing.T) {
	// valid returns a body of exactly n bytes holding one object.
	valid := func(n int) string {
		const open, closing = `{"worker_id":"`, `"}`
		return open + strings.Repeat("a", n-len(open)-len(closing)) + closing
	}
	tests := []struct {
		name    string
		body    io.Reader
		wrap    bool // through http.MaxBytesReader(…, 1<<20)
		code    string
		message string
	}{
		{name: "at the limit", body: strings.NewReader(valid(1 << 20)), wrap: true},
		{name: "over the limit", body: strings.NewReader(valid(1<<20 + 1)), wrap: true, code: models.ETOOLARGE, message: "request body is larger than 1 MiB"},
		{name: "far over the limit", body: strings.NewReader(valid(5 << 20)), wrap: true, code: models.ETOOLARGE, message: "request body is larger than 1 MiB"},
		{name: "at the limit, unwrapped", body: strings.NewReader(valid(1 << 20))},
		{name: "over the limit, unwrapped", body: strings.NewReader(valid(1<<20 + 1)), code: models.ETOOLARGE, message: "request body is larger than 1 MiB"},
		{name: "read error", body: iotest.ErrReader(errors.New("connection reset")), code: models.EBADREQUEST, message: "request body could not be read"},
		{name: "nil body", body: nil, code: models.EBADREQUEST, message: "request body is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := tt.body
			if tt.wrap {
				body = http.MaxBytesReader(httptest.NewRecorder(), io.NopCloser(body), 1<<20)
			}
			err := decodeJSON(body, new(testEmployment))
			if got, want := models.ErrorCode(err), tt.code; got != want {
				t.Fatalf("code = %q, want %q (%v)", got, want, err)
			}
			if got, want := models.ErrorMessage(err), tt.message; tt.code != "" && got != want {
				t.Errorf("message = %q, want %q", got, want)
			}
		})
	}
}

// decodeMessages are the messages decodeJSON may return, and
// decodePhrases the values of its Fields: none repeats input.
var (
	decodeMessages = regexp.MustCompile(`^(request body is empty|request body must hold a single JSON object|malformed JSON at byte [0-9]+|request body is larger than 1 MiB|request body has a field of the wrong type|request body has an unknown field|request body has an invalid value)$`)
	decodePhrases  = map[string]bool{
		"unknown field": true, "is not valid": true, "must be a real date written YYYY-MM-DD": true,
		mustBeWholeNumber: true, mustBeWholeNumberInRange: true, mustBeWholeNumberPlain: true,
		mustBeNumber: true, mustBeNumberInRange: true, mustBeString: true, mustBeBool: true,
		mustBeList: true, mustBeObject: true, mustBeDate: true, mustBeBytes: true, hasWrongType: true,
	}
	// employmentValuePath matches every path in testEmployment a value can
	// be of the wrong type at; a path without list indexes would not match.
	employmentValuePath = regexp.MustCompile(`^(worker_id|start_date|terms(\.(monthly_net_wage|weekly_hours|public_holidays|own_lockable_room|duties(\[[0-9]+\])?))?|items(\[[0-9]+\](\.name)?)?)$`)
)

func FuzzDecodeJSON(f *testing.F) {
	for _, seed := range []string{
		`{}`,
		`{"worker_id":"w1","start_date":"2026-02-28","terms":{"monthly_net_wage":"1200.50","weekly_hours":48,"public_holidays":10,"own_lockable_room":true,"duties":["cooking"]},"items":[{"name":"a"}]}`,
		`{"WORKER_ID":"w1","Terms":{"Weekly_Hours":1e2}}`,
		`{"start_date":null,"terms":null,"items":null}`,
		`{"terms":{"foo":1}}`,
		`{"items":[{},{"nme":1}]}`,
		`{"terms":{"weekly_hours":"x"}}`,
		`{"terms":{"public_holidays":1.5}}`,
		`{"terms":{"public_holidays":1e30}}`,
		`{"terms":{"duties":[1]}}`,
		`{"start_date":"2026-02-30"}`,
		`{"start_date":5}`,
		`{"id":1,"level":"x","languages":{"fr":{"levl":1}},"by_id":{"x":1},"grid":[[1],[2,"x"],[3]],"any":[1e400],"day":null,"when":"x","wage":"x"}`,
		`{"worker_id":"w1"} {}`,
		`{"worker_id":`,
		`{"worker_id":"\ud800"}`,
		`[]`,
		`null`,
		``,
		`{"a":{"b":{"c":[[[[{}]]]]}}}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var dst testEmployment
		err := decodeJSON(strings.NewReader(string(body)), &dst)
		checkDecodeError(t, body, err, true)
		if err == nil {
			again, merr := json.Marshal(dst)
			if merr != nil {
				t.Fatalf("json.Marshal(%+v): %v", dst, merr)
			}
			var dst2 testEmployment
			if err := decodeJSON(strings.NewReader(string(again)), &dst2); err != nil {
				t.Fatalf("decodeJSON(%q) = nil, but decodeJSON of its re-marshalling %q = %v", body, again, err)
			}
			if !reflect.DeepEqual(dst, dst2) {
				t.Fatalf("decodeJSON(%q) gave %+v, its re-marshalling %q gave %+v", body, dst, again, dst2)
			}
		}

		checkDecodeError(t, body, decodeJSON(strings.NewReader(string(body)), new(testWide)), false)
	})
}

// checkDecodeError fails t unless err is nil or a *models.Error decodeJSON
// may return. employment says the destination was a testEmployment.
func checkDecodeError(t *testing.T, body []byte, err error, employment bool) {
	t.Helper()
	if err == nil {
		return
	}
	var e *models.Error
	if !errors.As(err, &e) {
		t.Fatalf("decodeJSON(%q) = %#v, want a *models.Error", body, err)
	}
	if e.Code != models.EBADREQUEST && e.Code != models.ETOOLARGE {
		t.Fatalf("decodeJSON(%q): code %q, want %q or %q", body, e.Code, models.EBADREQUEST, models.ETOOLARGE)
	}
	if !decodeMessages.MatchString(e.Message) {
		t.Fatalf("decodeJSON(%q): unexpected message %q", body, e.Message)
	}
	if len(e.Fields) > 1 {
		t.Fatalf("decodeJSON(%q): fields %q, want at most one", body, e.Fields)
	}
	for path, phrase := range e.Fields {
		if !decodePhrases[phrase] {
			t.Fatalf("decodeJSON(%q): unexpected phrase %q for %q", body, phrase, path)
		}
		if employment && phrase != "unknown field" && !employmentValuePath.MatchString(path) {
			t.Fatalf("decodeJSON(%q): path %q (%s) names no value of testEmployment", body, path, phrase)
		}
	}
}

func TestDottedPath(t *testing.T) {
	tests := []struct{ path, want string }{
		{"", ""},
		{"worker_id", "worker_id"},
		{"items[1].name", "items.1.name"},
		{"grid[1][0]", "grid.1.0"},
		{`terms["a.b"]`, "terms.a.b"},
		{`[""]`, ""},
		{`a["x"…]`, "a.x"},
		{"a[", "a."},
		{"[", ""},
	}
	for _, tt := range tests {
		if got := dottedPath(tt.path); got != tt.want {
			t.Errorf("dottedPath(%q) = %q, want %q", tt.path, got, tt.want)
		}
	}
}
