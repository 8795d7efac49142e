package models

import (
	"encoding/json"
	"testing"
	"time"
)

func TestNewID_IsMonotonicUUIDv7(t *testing.T) {
	prev := ""
	for i := 0; i < 10000; i++ {
		id := NewID()
		if !ValidID(id) {
			t.Fatalf("NewID()=%q is not a valid id", id)
		}
		if got, want := id[14], byte('7'); got != want {
			t.Fatalf("version nibble of %q = %c, want %c", id, got, want)
		}
		if v := id[19]; v != '8' && v != '9' && v != 'a' && v != 'b' {
			t.Fatalf("variant of %q = %c, want RFC 9562", id, v)
		}
		if id <= prev {
			t.Fatalf("ids not increasing: %q after %q", id, prev)
		}
		prev = id
	}
}

func TestNewID_EncodesTime(t *testing.T) {
	at := time.Now().Add(24 * time.Hour).Truncate(time.Millisecond).UTC()
	id := newIDAt(at) // later than any id made so far in this process
	ms := int64(0)
	for _, c := range id[:8] + id[9:13] {
		ms = ms<<4 | int64(hexVal(byte(c)))
	}
	if got, want := time.UnixMilli(ms).UTC(), at; !got.Equal(want) {
		t.Errorf("time in id = %v, want %v", got, want)
	}
}

func hexVal(c byte) byte {
	if c >= 'a' {
		return c - 'a' + 10
	}
	return c - '0'
}

func TestValidID(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"0190d9b6-0000-7000-8000-000000000000", true},
		{"0190D9B6-0000-7000-8000-000000000000", false},
		{"0190d9b6-0000-7000-8000-00000000000", false},
		{"0190d9b600000-7000-8000-000000000000", false},
		{"../../etc/passwd", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := ValidID(tt.in); got != tt.want {
			t.Errorf("ValidID(%q)=%v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestDate_JSONAndAge(t *testing.T) {
	var d Date
	if err := json.Unmarshal([]byte(`"2008-02-29"`), &d); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		on   string
		want int
	}{
		{"2026-02-28", 17}, {"2026-03-01", 18}, {"2025-03-01", 17},
	}
	for _, tt := range tests {
		on, err := ParseDate(tt.on)
		if err != nil {
			t.Fatal(err)
		}
		if got := on.YearsSince(d); got != tt.want {
			t.Errorf("age on %s of someone born %s = %d, want %d", tt.on, d, got, tt.want)
		}
	}
	for _, bad := range []string{`"2026-02-30"`, `"26-01-01"`, `"2026-1-1"`, `20260101`, `"2026-01-01T00:00:00Z"`} {
		if err := json.Unmarshal([]byte(bad), &d); err == nil {
			t.Errorf("Date accepted %s", bad)
		}
	}
	b, _ := json.Marshal(Date{2026, 1, 5})
	if got, want := string(b), `"2026-01-05"`; got != want {
		t.Errorf("marshal=%s, want %s", got, want)
	}
}
