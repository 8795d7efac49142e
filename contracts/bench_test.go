package contracts

import (
	"bytes"
	"strconv"
	"sync/atomic"
	"testing"
)

// BenchmarkContract renders the 3-page French/Tagalog contract (two
// fonts: Noto Sans Regular and Bold). Compare with BenchmarkFontsOnly in
// the same run: what fpdf's font handling (subsetting and compressing the
// two fonts; with the patched copy in third_party/fpdf, no longer
// parsing them) costs every document.
func BenchmarkContract(b *testing.B) {
	benchContract(b, "fr", "tl")
}

// BenchmarkContractAmharic renders the French/Amharic contract (four
// fonts: Noto Sans and Noto Sans Ethiopic, Regular and Bold).
func BenchmarkContractAmharic(b *testing.B) {
	benchContract(b, "fr", "am")
}

func benchContract(b *testing.B, host, worker string) {
	benchContractOf(b, host, worker, false)
}

func benchContractOf(b *testing.B, host, worker string, fresh bool) {
	c := testContract(b, host, worker)
	var buf bytes.Buffer
	if err := Render(&buf, c, Options{}); err != nil {
		b.Fatal(err)
	}
	pages, size := pageCount(buf.Bytes()), buf.Len()
	b.ReportAllocs()
	cpu0 := cpuTime()
	i := 0
	for b.Loop() {
		if fresh {
			// Every document its own worker and wage: the text that
			// differs between contracts is shaped anew each time.
			i++
			c.Worker.FullName = freshNames[i%len(freshNames)] + " " + strconv.Itoa(i)
			c.Terms.MonthlyNetWageMinor = 120000 + int64(i)
		}
		buf.Reset()
		if err := Render(&buf, c, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	// CPU time per document (all threads, GC included): steadier than
	// ns/op when other processes share the cores.
	b.ReportMetric(float64(cpuTime()-cpu0)/1e6/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(pages), "pages")
	b.ReportMetric(float64(size), "pdf-bytes")
}

// BenchmarkContractParallel measures throughput with every core busy.
func BenchmarkContractParallel(b *testing.B) {
	c := testContract(b, "fr", "tl")
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		var buf bytes.Buffer
		for pb.Next() {
			buf.Reset()
			if err := Render(&buf, c, Options{}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkLeaflet renders the Amharic rights leaflet.
func BenchmarkLeaflet(b *testing.B) {
	l := testLeaflet(b, "am")
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := RenderLeaflet(&buf, l, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFontsOnly is the baseline: a one-line, one-page document that
// registers and embeds the same two Latin fonts as BenchmarkContract. It
// is the per-document cost fpdf's font handling sets, whatever the layout.
func BenchmarkFontsOnly(b *testing.B) {
	if err := loadFonts(); err != nil {
		b.Fatal(err)
	}
	issued := testContract(b, "fr", "tl").IssuedAt
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		d := newDoc(issued, "baseline", "fr")
		d.newPage()
		d.text(notoSansBold, 12, black, 20, 20, "Contrat de travail")
		d.text(notoSans, 9, black, 20, 30, "Kontrata sa trabaho 1200.00 CHF")
		if err := d.output(&buf); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFontCost registers one font in a one-line document and writes
// it: the cost fpdf adds to every document for each font it uses.
func BenchmarkFontCost(b *testing.B) {
	if err := loadFonts(); err != nil {
		b.Fatal(err)
	}
	issued := testContract(b, "fr", "tl").IssuedAt
	for _, f := range allFaces {
		b.Run(f.file[len("fonts/"):], func(b *testing.B) {
			var buf bytes.Buffer
			b.ReportAllocs()
			for b.Loop() {
				buf.Reset()
				d := newDoc(issued, "baseline", "fr")
				d.newPage()
				d.text(f, 9, black, 20, 20, "1200.00 ሠ")
				if err := d.output(&buf); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkContractArabic renders the French/Arabic contract: six fonts
// (Noto Sans Regular and Bold for the French text, and the glyph-id Noto
// Sans and Noto Naskh Arabic, Regular and Bold, for the shaped Arabic
// text), every Arabic paragraph shaped and wrapped with textlayout.
func BenchmarkContractArabic(b *testing.B) {
	benchContract(b, "fr", "ar")
}

// BenchmarkContractEnglish renders the French/English contract: the Latin
// anchor the shaped contracts are compared with in the same run.
func BenchmarkContractEnglish(b *testing.B) {
	benchContract(b, "fr", "en")
}

// BenchmarkContractHindi renders the French/Hindi contract: Noto Sans for
// the French text, the glyph-id Noto Sans and Noto Sans Devanagari for
// the shaped Hindi text (regular weight only).
func BenchmarkContractHindi(b *testing.B) {
	benchContract(b, "fr", "hi")
}

// BenchmarkContractNepali renders the French/Nepali contract (Devanagari
// shaped in Nepali).
func BenchmarkContractNepali(b *testing.B) {
	benchContract(b, "fr", "ne")
}

// BenchmarkContractBengali renders the French/Bengali contract.
func BenchmarkContractBengali(b *testing.B) {
	benchContract(b, "fr", "bn")
}

// BenchmarkContractSinhala renders the French/Sinhala contract.
func BenchmarkContractSinhala(b *testing.B) {
	benchContract(b, "fr", "si")
}

// BenchmarkContractTamil renders the French/Tamil contract.
func BenchmarkContractTamil(b *testing.B) {
	benchContract(b, "fr", "ta")
}

// freshNames are the worker names BenchmarkContractFresh cycles through.
var freshNames = []string{"Maria Santos Dela Cruz", "Žofie Ångström-Ærø", "Nguyễn Thị Hồng", "Amal Haddad"}

// BenchmarkContractFresh renders each shaped contract with another worker
// name and wage every time, as a server does (one contract per
// employment): the paragraphs holding them are never the same twice.
func BenchmarkContractFresh(b *testing.B) {
	for _, lang := range []string{"en", "ar", "hi", "ne", "bn", "si", "ta"} {
		b.Run(lang, func(b *testing.B) { benchContractOf(b, "fr", lang, true) })
	}
}

// BenchmarkContractParallelShaped renders the shaped contracts from every
// core at once, each document another language, worker name and wage:
// the shared line and font-subset caches under contention.
func BenchmarkContractParallelShaped(b *testing.B) {
	langs := []string{"ar", "hi", "ne", "bn", "si", "ta"}
	var base []Contract
	for _, l := range langs {
		base = append(base, testContract(b, "fr", l))
	}
	var next atomic.Int64
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		var buf bytes.Buffer
		for pb.Next() {
			i := next.Add(1)
			c := base[i%int64(len(base))]
			c.Worker.FullName = freshNames[i%int64(len(freshNames))] + " " + strconv.FormatInt(i, 10)
			c.Terms.MonthlyNetWageMinor = 120000 + i
			buf.Reset()
			if err := Render(&buf, c, Options{}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
