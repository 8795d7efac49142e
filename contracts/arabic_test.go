package contracts

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pdw-registry/pdw/models"
)

// wordsAt returns where the word sequence want starts in got, or -1.
func wordsAt(got, want []string) int {
	for i := 0; i+len(want) <= len(got); i++ {
		if slices.Equal(got[i:i+len(want)], want) {
			return i
		}
	}
	return -1
}

// arabicParagraph returns the extracted text of the Arabic paragraph of
// clause n (1-based) of a contract whose host language is host: from the
// Arabic label after the clause's host heading to the next clause heading.
func arabicParagraph(t *testing.T, text string, host, ar *language, n int, heading, next string) string {
	t.Helper()
	h := fmt.Sprintf("%d. %s", n, host.text(heading, nil))
	start := strings.Index(text, h)
	if start < 0 {
		t.Fatalf("heading %q not found", h)
	}
	end := len(text)
	if next != "" {
		nh := fmt.Sprintf("%d. %s", n+1, host.text(next, nil))
		if j := strings.Index(text[start:], nh); j >= 0 {
			end = start + j
		}
	}
	seg := text[start:end]
	label := ar.text("language.name", nil) + " "
	i := strings.Index(seg, label)
	if i < 0 {
		t.Fatalf("clause %d: Arabic label missing in %q", n, seg)
	}
	return seg[i+len(label):]
}

// withoutFooters removes every page's footer text from the extracted text
// of contract c, so that a paragraph that runs onto the next page reads on.
func withoutFooters(text string, c *Contract, langs []*language, pages int) string {
	for _, l := range langs {
		text = strings.ReplaceAll(text, plain(l.text("doc.footer", c.vars(l)))+" ", "")
		for p := 1; p <= pages; p++ {
			v := map[string]string{"page": strconv.Itoa(p), "pages": strconv.Itoa(pages)}
			text = strings.ReplaceAll(text, plain(l.text("doc.page", v))+" ", "")
		}
	}
	return text
}

// TestRender_ArabicContract renders French/Arabic and English/Arabic
// contracts and reads them back with pdftotext: the Arabic paragraphs of
// the clauses with the key figures hold their whole sentences, word for
// word in logical (reading) order, with the figures (wage, pay day, hours, leave,
// holidays, notice) in the Arabic paragraph itself; every page's Arabic
// footer carries its page number and the page count.
func TestRender_ArabicContract(t *testing.T) {
	needTool(t, "pdftotext")
	cat, err := embeddedCatalog()
	if err != nil {
		t.Fatal(err)
	}
	ar, _ := cat.lookup("ar")
	for _, hostTag := range []string{"fr", "en"} {
		t.Run(hostTag+"-ar", func(t *testing.T) {
			t.Parallel()
			c := testContract(t, hostTag, "ar")
			pdf := render(t, c, Options{})
			text := pdfText(t, pdf)
			pages := pageCount(pdf)
			for p := 1; p <= pages; p++ {
				footer := plain(ar.text("doc.page", map[string]string{"page": strconv.Itoa(p), "pages": strconv.Itoa(pages)}))
				if !strings.Contains(text, footer) {
					t.Errorf("Arabic footer %q missing", footer)
				}
			}
			if strings.Contains(text, pageCountAlias) {
				t.Error("the page-count alias is left in the text")
			}
			host, _ := cat.lookup(hostTag)
			text = withoutFooters(text+" ", &c, []*language{host, ar}, pages)
			vars := c.vars(ar)
			clauses := c.clauses()
			number := func(heading string) (n int, next string) {
				for i, cl := range clauses {
					if cl.heading == heading {
						if i+1 < len(clauses) {
							next = clauses[i+1].heading
						}
						return i + 1, next
					}
				}
				t.Fatalf("no clause %s", heading)
				return 0, ""
			}
			for _, tc := range []struct {
				heading   string
				sentences []string
				figures   []string
			}{
				{"wage.heading", []string{"wage.amount", "wage.pay_day", "wage.account", "wage.payslip"}, []string{"1,200.00", "CHF", "25"}},
				{"hours.heading", []string{"hours.body", "hours.record"}, []string{"42", "11", "1.5"}},
				{"holidays.heading", []string{"holidays.body"}, []string{"9"}},
				{"leave.heading", []string{"leave.body"}, []string{"5"}},
				{"termination.heading", []string{"termination.body"}, []string{"45"}},
				{"parties.heading", []string{"parties.body"}, []string{"Ana Lima Pereira", "Maria Santos Dela Cruz", ar.date(*date("1990-04-12")), "P1234567A"}},
			} {
				n, next := number(tc.heading)
				para := arabicParagraph(t, text, host, ar, n, tc.heading, next)
				got := strings.Fields(para)
				for _, key := range tc.sentences {
					want := strings.Fields(plain(ar.text(key, vars)))
					if wordsAt(got, want) < 0 {
						t.Errorf("%s: the Arabic sentence %s is not in logical order in the extracted text\nwant %q\n got %q", tc.heading, key, want, got)
					}
				}
				for _, f := range tc.figures {
					if !hasFigure(para, f) {
						t.Errorf("%s: Arabic paragraph lacks %q:\n%s", tc.heading, f, para)
					}
				}
			}
			// The help lines, one per line, with the Latin contacts inside.
			n, next := number("help.heading")
			help := strings.Fields(arabicParagraph(t, text, host, ar, n, "help.heading", next))
			for _, key := range helpSentences(c.Help)[1:] {
				if want := strings.Fields(plain(ar.text(key, contactVars(c.Help, key)))); wordsAt(help, want) < 0 {
					t.Errorf("help line %s: want %q in %q", key, want, help)
				}
			}
		})
	}
}

// TestRenderLeaflet_Arabic reads the Arabic leaflet back: whole sentences
// in logical order, with the policy's figures and the Latin help lines in
// them.
func TestRenderLeaflet_Arabic(t *testing.T) {
	needTool(t, "pdftotext")
	cat, _ := embeddedCatalog()
	ar, _ := cat.lookup("ar")
	l := testLeaflet(t, "ar")
	var buf bytes.Buffer
	if err := RenderLeaflet(&buf, l, Options{}); err != nil {
		t.Fatal(err)
	}
	got := strings.Fields(pdfText(t, buf.Bytes()))
	p := &l.Policy
	vars := map[string]string{
		"name":             l.WorkerName,
		"wage":             ar.amount(p.MinMonthlyNetWageMinor, p.Currency),
		"currency":         p.Currency,
		"weekly_hours":     ar.number(p.MaxWeeklyHours),
		"daily_rest_hours": ar.number(p.MinDailyRestHours),
		"weekly_rest_days": ar.number(p.MinWeeklyRestDays),
		"leave_weeks":      ar.number(p.MinAnnualLeaveWeeks),
		"public_holidays":  ar.integer(p.MinPublicHolidays),
		"arrival_days":     ar.integer(p.ArrivalRegistrationDays),
		"checkin_months":   ar.integer(p.CheckinIntervalMonths),
	}
	for _, key := range []string{"leaflet.for", "leaflet.intro", "leaflet.wage", "leaflet.hours", "leaflet.leave", "leaflet.appointments", "leaflet.alone"} {
		want := strings.Fields(plain(ar.text(key, vars)))
		if wordsAt(got, want) < 0 {
			t.Errorf("%s not in logical order\nwant %q\n got %q", key, want, got)
		}
	}
	for _, key := range helpSentences(l.Help)[1:] {
		if want := strings.Fields(plain(ar.text(key, contactVars(l.Help, key)))); wordsAt(got, want) < 0 {
			t.Errorf("help line %s: want %q", key, want)
		}
	}
	// The figures in their sentences: wage, hours, leave, holidays.
	text := strings.Join(got, " ")
	for _, want := range []string{"1,200.00 CHF", "45 ساعة", "4 أسابيع", "8 أيام"} {
		if !strings.Contains(text, want) {
			t.Errorf("%q missing", want)
		}
	}
}

// TestRender_ArabicDeterministic: the same input gives the same bytes, for
// contracts and the leaflet, sequentially and with Shapers from the pool.
func TestRender_ArabicDeterministic(t *testing.T) {
	for _, host := range []string{"fr", "en", "ar"} {
		c := testContract(t, host, "ar")
		if host == "ar" {
			c.WorkerLanguage = "fr"
		}
		a, b := render(t, c, Options{}), render(t, c, Options{})
		if !bytes.Equal(a, b) {
			t.Errorf("%s-%s: two renders differ (%d and %d bytes)", c.HostLanguage, c.WorkerLanguage, len(a), len(b))
		}
	}
	var a, b bytes.Buffer
	l := testLeaflet(t, "ar")
	if err := RenderLeaflet(&a, l, Options{}); err != nil {
		t.Fatal(err)
	}
	if err := RenderLeaflet(&b, l, Options{}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two renders of the Arabic leaflet differ")
	}
}

// TestRender_ArabicFonts: an Arabic document embeds the glyph-id Naskh
// fonts, regular and bold; a Latin-only one does not.
func TestRender_ArabicFonts(t *testing.T) {
	naskh := func(pdf []byte) (regular, bold bool) {
		return bytes.Contains(pdf, []byte("/BaseFont /utf8notonaskharabic-regular-gid")),
			bytes.Contains(pdf, []byte("/BaseFont /utf8notonaskharabic-bold-gid"))
	}
	if r, b := naskh(render(t, testContract(t, "fr", "ar"), Options{})); !r || !b {
		t.Errorf("fr-ar: Naskh regular %v, bold %v; want both", r, b)
	}
	if r, b := naskh(render(t, testContract(t, "fr", "tl"), Options{})); r || b {
		t.Errorf("fr-tl: Naskh regular %v, bold %v; want neither", r, b)
	}
}

// TestRender_ArabicUnsupportedText: data is drawn in every language's
// paragraphs, so each script must draw it. Arabic paragraphs have Arabic
// and Latin fonts only; Latin paragraphs cannot join Arabic letters.
func TestRender_ArabicUnsupportedText(t *testing.T) {
	for _, tc := range []struct {
		name, host, worker string
		change             func(c *Contract)
		field              string
	}{
		{"EthiopicInArabic", "fr", "ar", func(c *Contract) { c.Worker.FullName = "ትዕግሥት አበበ" }, "worker full_name"},
		{"ArabicInLatin", "fr", "tl", func(c *Contract) { c.Employer.FullName = "خالد المنصوري" }, "employer full_name"},
		{"ArabicInFrenchBesideArabic", "fr", "ar", func(c *Contract) { c.Worker.Nationality = "مصر" }, "worker nationality"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := testContract(t, tc.host, tc.worker)
			tc.change(&c)
			var buf bytes.Buffer
			err := Render(&buf, c, Options{})
			if !errors.Is(err, ErrUnsupportedText) || !strings.Contains(err.Error(), tc.field) {
				t.Errorf("err = %v, want ErrUnsupportedText naming %s", err, tc.field)
			}
			if buf.Len() != 0 {
				t.Errorf("%d bytes written on error", buf.Len())
			}
		})
	}
	// An Arabic-only contract prints Arabic names.
	c := testContract(t, "ar", "")
	c.Worker.FullName = "خالد المنصوري"
	c.Terms.Duties = models.Strings{"الطبخ", "التنظيف"}
	render(t, c, Options{})
}
