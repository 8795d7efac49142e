package web

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store"
	"github.com/pdw-registry/pdw/models/store/storetest"
)

// The browser tests drive the real router in a real Chromium through the
// DevTools protocol (chromedp). They skip when Chromium is missing unless
// PDW_REQUIRE_CHROMIUM=1 (or PDW_REQUIRE_BROWSER=1) is set, as CI does,
// in which case they fail. PDW_SCREENSHOTS names a folder for screenshots
// of the main pages.

// chromiumPath finds the browser: PDW_CHROMIUM, /usr/bin/chromium, or
// chromium / chromium-browser on the PATH.
func chromiumPath(t *testing.T) string {
	t.Helper()
	candidates := []string{os.Getenv("PDW_CHROMIUM"), "/usr/bin/chromium"}
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			candidates = append(candidates, p)
		}
	}
	for _, p := range candidates {
		if p == "" {
			continue
		}
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p
		}
	}
	if os.Getenv("PDW_REQUIRE_CHROMIUM") == "1" || os.Getenv("PDW_REQUIRE_BROWSER") == "1" {
		t.Fatal("Chromium is required (PDW_REQUIRE_CHROMIUM=1) but was not found; install the Debian package chromium")
	}
	t.Skip("Chromium not found (set PDW_CHROMIUM, or install chromium); PDW_REQUIRE_CHROMIUM=1 makes this a failure")
	return ""
}

// browser starts a headless Chromium with a fresh profile and returns a
// context for its first tab, limited to timeout once the browser runs.
func browser(t *testing.T, timeout time.Duration) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("start Chromium: %v", err)
	}
	tctx, cancelT := context.WithTimeout(ctx, timeout)
	t.Cleanup(cancelT)
	return tctx
}

// tab drives one tab against a server.
type tab struct {
	t    *testing.T
	ctx  context.Context
	base string
	name string // prefix of screenshot files
}

func (b *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		loc, _ := chromedp.Run(b.ctx, chromedp.Location())
		body, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string]("document.body ? document.body.innerText.slice(0, 1500) : ''"))
		b.t.Fatalf("browser: %v (at %s)\n%s", err, loc, body)
	}
}

func (b *tab) open(path string) { b.t.Helper(); b.do(chromedp.Navigate(b.base + path)) }

func (b *tab) text(sel string) string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return s
}

func eval[T any](b *tab, js string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

func (b *tab) location() string {
	b.t.Helper()
	l, err := chromedp.Run(b.ctx, chromedp.Location())
	if err != nil {
		b.t.Fatal(err)
	}
	return l
}

// fill sets form fields by id and submits with the button sel, then waits
// for the next page and for wait to be visible on it.
func (b *tab) fill(fields map[string]string, submit, wait string) {
	b.t.Helper()
	var steps []chromedp.Action[chromedp.Void]
	for id, v := range fields {
		steps = append(steps, chromedp.SetValue(chromedp.CSS("#"+id), v))
	}
	b.do(steps...)
	b.submit(submit, wait)
}

// submit clicks sel and waits until a new page has replaced this one and
// shows wait.
func (b *tab) submit(sel, wait string) {
	b.t.Helper()
	_ = eval[bool](b, `(() => { const i = document.createElement('i'); i.id = 'stale-page'; document.body.append(i); return true })()`)
	b.do(chromedp.Click(chromedp.CSS(sel)), chromedp.WaitNotPresent(chromedp.CSS("#stale-page")), chromedp.WaitVisible(chromedp.CSS(wait)))
}

// waitLocation waits until the tab's address satisfies ok and returns it.
func (b *tab) waitLocation(ok func(string) bool) string {
	b.t.Helper()
	for {
		l, err := chromedp.Run(b.ctx, chromedp.Evaluate[string]("location.href"))
		if err == nil && ok(l) {
			return l
		}
		select {
		case <-b.ctx.Done():
			b.t.Fatalf("waiting for the address (last %q): %v", l, b.ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// download clicks a download link and returns the saved file's bytes.
func (b *tab) download(sel string) []byte {
	b.t.Helper()
	dir := b.t.TempDir()
	yes := true
	c := chromedp.FromContext(b.ctx)
	err := c.Browser.Call(b.ctx, "Browser.setDownloadBehavior", cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir, EventsEnabled: &yes}, nil)
	if err != nil {
		b.t.Fatalf("allow downloads: %v", err)
	}
	b.do(chromedp.Click(chromedp.CSS(sel)))
	// Wait for the finished file (Chromium writes *.crdownload until done).
	for {
		entries, err := os.ReadDir(dir)
		if err != nil {
			b.t.Fatal(err)
		}
		for _, en := range entries {
			if !strings.HasSuffix(en.Name(), ".crdownload") {
				data, err := os.ReadFile(filepath.Join(dir, en.Name()))
				if err == nil && len(data) > 0 {
					return data
				}
			}
		}
		select {
		case <-b.ctx.Done():
			b.t.Fatalf("no download of %s: %v", sel, b.ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// shot saves a full-page screenshot when PDW_SCREENSHOTS is set.
func (b *tab) shot(name string) {
	b.t.Helper()
	dir := os.Getenv("PDW_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, b.name+"-"+name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// idFrom returns the last path segment of a URL.
func idFrom(u string) string {
	u = strings.SplitN(u, "?", 2)[0]
	u = strings.SplitN(u, "#", 2)[0]
	return u[strings.LastIndex(u, "/")+1:]
}

// TestBrowser_Console drives the console in Chromium from the first start:
// setup, a mission, an employer and a worker through the forms, a
// notification whose wage is under the floor (the field's error shown)
// then corrected, approval, a contract generated and downloaded, the
// arrival recorded and the week calendar; a form posted without its CSRF
// token is refused; a mission user sees the employment in French with the
// come-alone reminder and no office pages; the worker's page opens in
// Arabic right to left, and its quick exit leaves without a way back.
func TestBrowser_Console(t *testing.T) {
	ctx := browser(t, 5*time.Minute)
	neutral := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, "<!doctype html><title>Weather</title><h1 id=weather>Sunny</h1>")
	}))
	t.Cleanup(neutral.Close)

	storetest.Each(t, func(t *testing.T, db *store.DB) {
		const setupToken = "setup_browser_test"
		e := newEnv(t, db, setupToken, neutral.URL+"/weather")
		storetest.LoadPreset(t, db, "ch-pheo-2011")
		ts := httptest.NewServer(e.srv.Handler())
		t.Cleanup(ts.Close)

		tctx, cancel := chromedp.NewContext(ctx) // a new tab per database
		t.Cleanup(cancel)
		if err := chromedp.Do(tctx); err != nil {
			t.Fatal(err)
		}
		tctx, cancelT := context.WithTimeout(tctx, 2*time.Minute)
		t.Cleanup(cancelT)
		b := &tab{t: t, ctx: tctx, base: ts.URL, name: db.Dialect()}

		// First start: the setup page creates the first administrator and logs in.
		b.open("/login")
		b.do(chromedp.WaitVisible(chromedp.CSS(`a[href="/setup"]`)))
		b.shot("login")
		b.open("/setup")
		b.fill(map[string]string{"f-token": setupToken, "f-email": "lead@office.example", "f-password": testPassword},
			`form[action="/setup"] button`, "#h-today")
		b.shot("dashboard")
		// Keyboard: the first Tab reaches the skip link, with a visible focus ring.
		b.do(chromedp.KeyEvent("\t"))
		if got := eval[string](b, `document.activeElement.className + ' ' + getComputedStyle(document.activeElement).outlineStyle`); got != "skip solid" {
			t.Errorf("first Tab: focus on %q, want the skip link with a solid outline", got)
		}
		if got := eval[string](b, "document.documentElement.lang + ' ' + document.documentElement.dir"); got != "en ltr" {
			t.Errorf("console lang/dir %q, want \"en ltr\"", got)
		}

		// A mission, an employer and a worker through the forms.
		b.open("/missions/new")
		b.fill(map[string]string{"f-name": "Embassy of Testland", "f-kind": "embassy", "f-country": "PH",
			"f-focal-point-email": "focal@testland.example"}, `form[action="/missions"] button`, ".facts")
		missionID := idFrom(b.location())
		b.open("/employers/new")
		b.fill(map[string]string{"f-mission-id": missionID, "f-full-name": "Ambassador Test", "f-rank": "head_of_mission",
			"f-immunity": "full"}, `form[action="/employers"] button`, ".facts")
		employerID := idFrom(b.location())
		b.open("/workers/new")
		b.fill(map[string]string{"f-mission-id": missionID, "f-full-name": "Amina Test", "f-date-of-birth": "1990-01-01",
			"f-sex": "f", "f-nationality": "PH", "f-languages": "ar, en", "f-passport-number": "P7654321"},
			`form[action="/workers"] button`, ".facts")
		workerID := idFrom(b.location())

		// The notification wizard: a wage under the floor comes back next to its field.
		b.open("/employments/new")
		terms := map[string]string{"f-worker-id": workerID, "f-employer-id": employerID, "f-start-date": "2026-12-01",
			"f-terms-monthly-net-wage": "900.00", "f-terms-currency": "CHF", "f-terms-weekly-hours": "45",
			"f-terms-daily-rest-hours": "11", "f-terms-weekly-rest-days": "1.5", "f-terms-annual-leave-weeks": "4",
			"f-terms-public-holidays": "8", "f-terms-overtime-premium-pct": "25", "f-terms-notice-period-days": "30",
			"f-terms-duties": "housekeeping", "f-terms-contract-languages": "fr, ar"}
		for id, v := range terms {
			b.do(chromedp.SetValue(chromedp.CSS("#"+id), v))
		}
		b.do(chromedp.Click(chromedp.CSS("#f-terms-own-lockable-room"))) // one box ticked by a real click
		_ = eval[bool](b, `(() => { document.querySelectorAll('input[type=checkbox]').forEach(c => c.checked = true); return true })()`)
		b.submit(`form[action="/employments"] button[type=submit]`, "#f-terms-monthly-net-wage-err")
		if got := b.text("#f-terms-monthly-net-wage-err"); !strings.Contains(got, "1200.00 CHF") {
			t.Errorf("wage error %q, want the floor", got)
		}
		if got := eval[string](b, `document.getElementById('f-terms-monthly-net-wage').getAttribute('aria-invalid')`); got != "true" {
			t.Errorf("wage input aria-invalid=%q", got)
		}
		b.shot("notify-violation")
		b.fill(map[string]string{"f-terms-monthly-net-wage": "1200.00"}, `form[action="/employments"] button[type=submit]`, "#status")
		emplID := idFrom(b.location())
		if got := b.text("#status"); got != "notified" {
			t.Errorf("status %q, want notified", got)
		}

		// Approval, a contract generated and downloaded.
		b.fill(map[string]string{"f-status": "approved"}, `form[action="/employments/`+emplID+`"] button`, "#status")
		if got := b.text("#status"); got != "approved" {
			t.Fatalf("status %q after approval: %s", got, b.text("main"))
		}
		b.submit(`form[action="/employments/`+emplID+`/contracts"] button`, `a[href^="/contracts/"]`)
		// The download link, clicked: the browser saves the stored PDF.
		pdf := b.download(`a[href^="/contracts/"]`)
		if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Errorf("downloaded contract starts %q, want %%PDF-", pdf[:min(len(pdf), 8)])
		}
		// The arrival, then the registration appointment in the week calendar.
		b.fill(map[string]string{"f-arrival-date": "2026-11-05"}, `form[action="/employments/`+emplID+`"] button`, "#status")
		b.shot("employment")
		if _, err := db.PlanAppointments(sys(), storetest.Now); err != nil {
			t.Fatal(err)
		}
		as, _, err := db.FindAppointments(sys(), models.AppointmentFilter{EmploymentID: emplID})
		if err != nil || len(as) == 0 || as[0].StartsAt == nil {
			t.Fatalf("no placed appointment: %v %v", as, err)
		}
		b.open("/appointments?week=" + models.DateOf(*as[0].StartsAt).String())
		b.do(chromedp.WaitVisible(chromedp.CSS(`.day a[href="/appointments/` + as[0].ID + `"]`)))
		b.shot("week")

		// An attended check-in with an interview, through the form: the
		// appointment's slot has begun (moved into the past, as the API
		// tests do); one answer is critical.
		apptID := as[0].ID
		start := storetest.Now.Add(-time.Hour)
		storetest.MustExec(t, db, "UPDATE appointments SET starts_at = ?, ends_at = ? WHERE id = ?", start, start.Add(45*time.Minute), apptID)
		b.open("/appointments/" + apptID)
		b.submit("#interview-form-link", "#f-worker-seen-alone-yes")
		b.do(chromedp.Click(chromedp.CSS("#f-worker-seen-alone-yes")))
		critQ, critA := criticalAnswer()
		for name, v := range interviewValues(map[string]string{"answers." + critQ: critA}) {
			id := fieldID(name)
			switch {
			case !strings.HasPrefix(name, "answers."):
				if name != "worker_seen_alone" {
					b.do(chromedp.SetValue(chromedp.CSS("#"+id), v[0]))
				}
			case v[0] == "true":
				b.do(chromedp.Click(chromedp.CSS("#" + id + "-yes")))
			case v[0] == "false":
				b.do(chromedp.Click(chromedp.CSS("#" + id + "-no")))
			default:
				b.do(chromedp.SetValue(chromedp.CSS("#"+id), v[0]))
			}
		}
		b.shot("interview-form")
		b.submit(`form[action="/appointments/`+apptID+`/interview"] button[type=submit]`, "#risk-level")
		if got := b.text("#risk-level"); got != "critical" {
			t.Errorf("risk level %q, want critical", got)
		}
		if got := b.text("#actions"); !strings.Contains(got, "urgent case opened") {
			t.Errorf("actions %q, want the urgent case", got)
		}
		b.shot("interview")
		// The officer books the next visit a week after the planned slot
		// (the worker page shows it below).
		next := as[0].StartsAt.AddDate(0, 0, 7)
		if _, err := db.CreateAppointment(sys(), models.AppointmentInput{EmploymentID: emplID, Kind: models.KindFollowUp, StartsAt: &next}); err != nil {
			t.Fatal(err)
		}
		b.open("/")
		b.do(chromedp.WaitVisible(chromedp.CSS(`#h-urgent-cases`)))
		b.submit(`a[href^="/cases/"]`, "#case-status")
		b.fill(map[string]string{"f-kind": "call", "f-action-note": "Called the worker."}, `form[action$="/actions"] button`, "#case-status")
		b.shot("case")
		b.open("/cases")
		b.do(chromedp.WaitVisible(chromedp.CSS("#cases")))
		b.shot("cases")
		b.open("/organisations")
		b.fill(map[string]string{"f-kind": "ngo", "f-name": "Workers' Aid", "f-phone": "+41 58 000 00 03", "f-languages": "en, ar"},
			`form[method=post][action="/organisations"] button`, "#organisations")
		b.shot("organisations")
		b.open("/employments/" + emplID)
		b.fill(map[string]string{"f-kind": "pay", "f-month": "2026-11", "f-amount": "1200.00", "f-reference": "Bank slip 11"},
			`form[action="/employments/`+emplID+`/evidence"] button`, "#evidence td")
		b.shot("employment-evidence")
		b.open("/briefings")
		b.fill(map[string]string{"f-starts-at": "2026-11-20T10:00", "f-language": "ar", "f-room": "Room 2", "f-capacity": "10"},
			`form[method=post][action="/briefings"] button`, "#attendees, .facts")
		b.shot("briefing")
		b.open("/sanctions")
		b.fill(map[string]string{"f-subject-kind": "employer", "f-employer-id": employerID, "f-action": "suspend",
			"f-reason": "Wages withheld for three months.", "f-legal-basis": "Host-country regulation, art. 12"},
			`form[method=post][action="/sanctions"] button`, "#sanctions")
		b.shot("sanctions")

		// The compliance report with its charts drawn on the server.
		b.open("/reports/compliance?from=2026-01-01&to=2026-12-31")
		b.do(chromedp.WaitVisible(chromedp.CSS("#chart-checkins svg")))
		if n := eval[int](b, `document.querySelectorAll('#chart-checkins svg rect, #chart-risk svg rect').length`); n < 3 {
			t.Errorf("report charts have %d bars", n)
		}
		if got := eval[string](b, `document.querySelector('#chart-risk').textContent`); !strings.Contains(got, "critical: 1") {
			t.Errorf("risk chart %q lacks the critical interview", got)
		}
		b.shot("report")

		// CSRF: a form whose token was removed is refused.
		b.open("/missions/new")
		_ = eval[bool](b, `(() => { document.querySelector('form[action="/missions"] input[name=csrf]').remove(); return true })()`)
		b.fill(map[string]string{"f-name": "Forged", "f-kind": "embassy", "f-country": "FR", "f-focal-point-email": "x@forged.example"},
			`form[action="/missions"] button`, ".status")
		if got := b.text(".status"); got != "Status 403" {
			t.Errorf("forged form: %q, want Status 403", got)
		}

		// A mission user, in French.
		b.open("/users")
		b.fill(map[string]string{"f-email": "focal@testland.example", "f-password": testPassword, "f-role": "mission",
			"f-mission-id": missionID, "f-language": "fr"}, `form[action="/users"] button`, "table")
		b.submit(`form.whoami button`, `form[action="/login"]`)
		b.fill(map[string]string{"f-email": "focal@testland.example", "f-password": testPassword},
			`form[action="/login"] button`, "#h-upcoming")
		if got := eval[string](b, "document.documentElement.lang"); got != "fr" {
			t.Errorf("mission console lang %q, want fr", got)
		}
		b.shot("mission-dashboard")
		b.open("/employments/" + emplID)
		b.do(chromedp.WaitVisible(chromedp.CSS("#status")))
		page := b.text("main")
		for _, want := range []string{"Amina Test", "Le travailleur doit venir seul"} {
			if !strings.Contains(page, want) {
				t.Errorf("mission's employment page lacks %q", want)
			}
		}
		for _, absent := range []string{"P7654321", "Note (bureau seulement)"} {
			if strings.Contains(page, absent) {
				t.Errorf("mission's employment page shows %q", absent)
			}
		}
		b.shot("mission-employment")
		// No interview data anywhere the mission can go: no risk, no answers, no case.
		for _, path := range []string{"/employments/" + emplID, "/", "/appointments/" + apptID} {
			b.open(path)
			b.do(chromedp.WaitVisible(chromedp.CSS("main")))
			html := strings.ToLower(eval[string](b, "document.documentElement.outerHTML"))
			for _, absent := range []string{"/interviews/", "/cases", "risk", "risque", "critique", "critical", "entretien", "urgent",
				strings.ToLower(models.CurrentChecklist().Question(critQ).Text["fr"])} {
				if strings.Contains(html, absent) {
					t.Errorf("mission's %s shows %q", path, absent)
				}
			}
		}
		b.shot("mission-appointment")
		for _, path := range []string{"/cases", "/interviews/" + models.NewID(), "/reports/compliance"} {
			b.open(path)
			if got := b.text(".status"); got != "Statut 403" {
				t.Errorf("mission opening %s: %q, want Statut 403", path, got)
			}
		}
		b.open("/missions")
		if got := b.text(".status"); got != "Statut 403" {
			t.Errorf("mission opening /missions: %q, want Statut 403", got)
		}
		b.submit(`form.whoami button`, `form[action="/login"]`)

		// The officer issues the worker's access code.
		b.fill(map[string]string{"f-email": "lead@office.example", "f-password": testPassword}, `form[action="/login"] button`, "#h-today")
		b.open("/workers/" + workerID)
		b.submit(`form[action="/workers/`+workerID+`/access-code"] button`, "#access-code")
		code := b.text("#access-code")
		b.open("/w/" + code + "?lang=fr")
		b.do(chromedp.WaitVisible(chromedp.CSS("#h-next")))
		if got := eval[string](b, "document.documentElement.lang + ' ' + document.documentElement.dir"); got != "fr ltr" {
			t.Errorf("worker page in French: %q", got)
		}
		b.open("/workers/" + workerID) // a page to come back to

		// The worker's page, in Arabic, right to left, without cookies.
		b.open("/w/" + code)
		b.do(chromedp.WaitVisible(chromedp.CSS("#h-next")))
		if got := eval[string](b, "document.documentElement.lang + ' ' + document.documentElement.dir"); got != "ar rtl" {
			t.Errorf("worker page lang/dir %q, want \"ar rtl\"", got)
		}
		if got := eval[string](b, `document.querySelector('a.call').href`); got != "tel:+41580000001" {
			t.Errorf("tap-to-call href %q", got)
		}
		if got := b.text(".alone"); !strings.Contains(got, "تعال وحدك") {
			t.Errorf("come-alone text %q", got)
		}
		b.shot("worker-ar")

		// Quick exit: to the neutral site, replacing the history entry.
		before := eval[int](b, "history.length")
		b.submit("#quick-exit", "#weather")
		if got := b.location(); got != neutral.URL+"/weather" {
			t.Errorf("quick exit went to %q", got)
		}
		if after := eval[int](b, "history.length"); after != before {
			t.Errorf("history.length %d after the quick exit, want %d (the entry replaced)", after, before)
		}
		// Back (history.back, as the button does; the page may come from the
		// back-forward cache, which fires no load event).
		_ = eval[bool](b, "(() => { history.back(); return true })()")
		back := b.waitLocation(func(l string) bool { return !strings.HasPrefix(l, neutral.URL) })
		if strings.Contains(back, "/w/") || !strings.HasSuffix(back, "/workers/"+workerID) {
			t.Errorf("Back after the quick exit goes to %s, want the page before the worker's page", back)
		}
	})
}
