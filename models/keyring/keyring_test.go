package keyring

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

func key(b byte) string { return base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{b}, KeySize)) }

func TestParse(t *testing.T) {
	k1, k2 := key(1), key(2)
	tests := []struct {
		name    string
		in      string
		ids     []string
		wantErr string
	}{
		{"one key, derived id", k1, []string{DeriveID(bytes.Repeat([]byte{1}, KeySize))}, ""},
		{"two keys with ids", "b:" + k2 + ", a:" + k1, []string{"b", "a"}, ""},
		{"url encoding without padding", "x:" + base64.RawURLEncoding.EncodeToString(bytes.Repeat([]byte{0xfb}, KeySize)), []string{"x"}, ""},
		{"empty", "  ", nil, "empty"},
		{"short key", "a:" + base64.StdEncoding.EncodeToString([]byte("short")), nil, "32 bytes"},
		{"not base64", "a:!!!", nil, "base64"},
		{"duplicate id", "a:" + k1 + ",a:" + k2, nil, "twice"},
		{"bad id", "a b:" + k1, nil, "key id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := Parse(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Parse: err %v, want one containing %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), k1) || strings.Contains(err.Error(), k2) {
					t.Fatalf("error reveals key material: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(r.IDs(), ","); got != strings.Join(tt.ids, ",") {
				t.Fatalf("ids %s, want %s", got, strings.Join(tt.ids, ","))
			}
			if r.Current() != tt.ids[0] {
				t.Fatalf("current %s, want %s", r.Current(), tt.ids[0])
			}
		})
	}
}

func TestSealOpen(t *testing.T) {
	a, err := Parse("a:" + key(1))
	if err != nil {
		t.Fatal(err)
	}
	b, err := Parse("b:" + key(2) + ",a:" + key(1))
	if err != nil {
		t.Fatal(err)
	}
	onlyB, err := Parse("b:" + key(2))
	if err != nil {
		t.Fatal(err)
	}
	ad := []byte("interviews.notes:row1")
	s, err := a.Seal([]byte("secret note"), ad)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s, "v1:a:") || strings.Contains(s, "secret") {
		t.Fatalf("sealed form %q", s)
	}
	if id, ok := KeyID(s); !ok || id != "a" {
		t.Fatalf("KeyID %q %v", id, ok)
	}
	s2, _ := a.Seal([]byte("secret note"), ad)
	if s2 == s {
		t.Fatal("two seals of the same text are equal: nonce reused")
	}
	tests := []struct {
		name    string
		ring    *Ring
		sealed  string
		ad      []byte
		want    string
		wantErr error
	}{
		{"same ring", a, s, ad, "secret note", nil},
		{"older key in a rotated ring", b, s, ad, "secret note", nil},
		{"key removed", onlyB, s, ad, "", ErrUnknownKey},
		{"other row", a, s, []byte("interviews.notes:row2"), "", ErrOpen},
		{"other column", a, s, []byte("interviews.answers:row1"), "", ErrOpen},
		{"tampered", a, s[:len(s)-2] + "AA", ad, "", ErrOpen},
		{"truncated", a, s[:10], ad, "", ErrOpen},
		{"key id swapped", b, "v1:b:" + strings.TrimPrefix(s, "v1:a:"), ad, "", ErrOpen},
		{"plain text", a, "secret note", ad, "", ErrNotSealed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.ring.Open(tt.sealed, tt.ad)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil || string(got) != tt.want {
				t.Fatalf("Open = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
	// A rotated ring seals under its current key.
	s3, _ := b.Seal([]byte("x"), ad)
	if id, _ := KeyID(s3); id != "b" {
		t.Fatalf("rotated ring sealed under %s", id)
	}
}

func FuzzOpen(f *testing.F) {
	r, err := Parse("a:" + key(1))
	if err != nil {
		f.Fatal(err)
	}
	s, _ := r.Seal([]byte("hello"), []byte("ad"))
	f.Add(s, "ad")
	f.Add("v1:a:", "")
	f.Add("v1::x", "")
	f.Fuzz(func(t *testing.T, sealed, ad string) {
		pt, err := r.Open(sealed, []byte(ad))
		if err == nil {
			// Only a genuine seal opens: re-sealing and opening round-trips.
			again, err := r.Seal(pt, []byte(ad))
			if err != nil {
				t.Fatal(err)
			}
			if back, err := r.Open(again, []byte(ad)); err != nil || !bytes.Equal(back, pt) {
				t.Fatalf("round trip: %q %v", back, err)
			}
		}
		_, _ = Parse(sealed)
	})
}

func BenchmarkSealOpen(b *testing.B) {
	r, err := Parse("a:" + key(1))
	if err != nil {
		b.Fatal(err)
	}
	pt := bytes.Repeat([]byte("x"), 1500) // about one interview's answers as JSON
	ad := []byte("interviews.answers:0192f0c4-0000-7000-8000-000000000000")
	for b.Loop() {
		s, err := r.Seal(pt, ad)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := r.Open(s, ad); err != nil {
			b.Fatal(err)
		}
	}
}
