package api

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

// missionViewCases are views whose strings and times exercise every rule
// of encoding/json: HTML characters, control characters, quotes and
// backslashes, U+2028/2029, invalid UTF-8, zones, zero and far times.
func missionViewCases() []missionView {
	email := "focal<point>&co@mission.example"
	empty := ""
	zurich := time.FixedZone("CET", 3600)
	return []missionView{
		{ID: "01a21b02-c3de-74bc-a827-5b3bd19c6e4c", Name: "Embassy A", Kind: "embassy", Country: "PH", Language: "en",
			CreatedAt: time.Date(2026, 11, 27, 3, 15, 0, 123456000, time.UTC), UpdatedAt: time.Date(2026, 11, 27, 3, 15, 0, 0, time.UTC)},
		{ID: "x", Name: "Ambassade \"A\" \\ <b>&amp;</b>\n\t\r\b\f\x00\x1f\x7f", Kind: "consulate", Country: "CH",
			FocalPointEmail: &email, Language: "fr-CH", Suspended: true,
			CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 6, zurich), UpdatedAt: time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)},
		{Name: "Миссия \u2028 \u2029 日本 \xff\xfe ok \xe2\x80", FocalPointEmail: &empty,
			CreatedAt: time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.FixedZone("", -(23*3600+59*60)))},
		{},
	}
}

func TestMissionView_AppendJSON(t *testing.T) {
	for i, v := range missionViewCases() {
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := v.appendJSON(nil)
		if !ok || !bytes.Equal(got, want) {
			t.Errorf("case %d: ok=%v\n got %s\nwant %s", i, ok, got, want)
		}
	}
}

// A time encoding/json refuses makes appendJSON give up, and
// renderMission falls back on c.JSON (which then fails as before).
func TestMissionView_AppendJSONRefusesWhatMarshalRefuses(t *testing.T) {
	for _, tm := range []time.Time{
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("", 24*3600)),
	} {
		v := missionView{CreatedAt: tm}
		if _, err := json.Marshal(v); err == nil {
			t.Fatalf("%v: json.Marshal accepts it; the case is wrong", tm)
		}
		if _, ok := v.appendJSON(nil); ok {
			t.Errorf("%v: appendJSON encoded what json.Marshal refuses", tm)
		}
	}
}

// renderMission writes what c.JSON writes: status, content type, body.
func TestRenderMission_AsCJSON(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	for i, v := range missionViewCases() {
		fast, slow := httptest.NewRecorder(), httptest.NewRecorder()
		cf, _ := gin.CreateTestContext(fast)
		renderMission(cf, 200, v)
		cs, _ := gin.CreateTestContext(slow)
		cs.JSON(200, v)
		if fast.Code != slow.Code || fast.Header().Get("Content-Type") != slow.Header().Get("Content-Type") ||
			!bytes.Equal(fast.Body.Bytes(), slow.Body.Bytes()) {
			t.Errorf("case %d: renderMission %d %q %s\nc.JSON %d %q %s", i, fast.Code, fast.Header().Get("Content-Type"), fast.Body,
				slow.Code, slow.Header().Get("Content-Type"), slow.Body)
		}
	}
}

// FuzzMissionViewJSON checks appendJSON against json.Marshal on any
// strings, times and zones.
func FuzzMissionViewJSON(f *testing.F) {
	for _, v := range missionViewCases() {
		e := ""
		if v.FocalPointEmail != nil {
			e = *v.FocalPointEmail
		}
		_, off := v.CreatedAt.Zone()
		f.Add(v.ID, v.Name, e, v.FocalPointEmail != nil, v.Suspended, v.CreatedAt.Unix(), int64(v.CreatedAt.Nanosecond()), off)
	}
	f.Fuzz(func(t *testing.T, id, name, email string, hasEmail, suspended bool, sec, nsec int64, off int) {
		zone := time.FixedZone("", off%(48*3600))
		v := missionView{ID: id, Name: name, Kind: name + id, Country: id, Language: email, Suspended: suspended,
			CreatedAt: time.Unix(sec, nsec).In(zone), UpdatedAt: time.Unix(-sec, -nsec).UTC()}
		if hasEmail {
			v.FocalPointEmail = &email
		}
		want, err := json.Marshal(v)
		got, ok := v.appendJSON(nil)
		if (err == nil) != ok {
			t.Fatalf("json.Marshal err %v, appendJSON ok %v", err, ok)
		}
		if ok && !bytes.Equal(got, want) {
			t.Fatalf("\n got %s\nwant %s", got, want)
		}
	})
}

func BenchmarkMissionViewJSON(b *testing.B) {
	v := missionViewCases()[0]
	b.Run("json.Marshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = json.Marshal(v)
		}
	})
	b.Run("appendJSON", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = v.appendJSON(make([]byte, 0, 384))
		}
	})
}
