package contracts

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

var pngDir = flag.String("png", "", "write PNG pages (one per script) to this directory for a person to look at")

// TestRenderPNG writes pages a person can look at: the first page of a
// French/Tagalog contract and of a French/Amharic contract, the page with
// the signatures of the Amharic one, every page of a French/Arabic
// contract (shaped, right-aligned Arabic beside left-aligned French), and
// the Amharic, Tagalog and Arabic leaflets.
// Run: go test ./contracts -run TestRenderPNG -args -png DIR
func TestRenderPNG(t *testing.T) {
	if *pngDir == "" {
		t.Skip("no -png directory given")
	}
	tool := needTool(t, "pdftoppm")
	if err := os.MkdirAll(*pngDir, 0o755); err != nil {
		t.Fatal(err)
	}
	var leafAm, leafTl, leafAr bytes.Buffer
	if err := RenderLeaflet(&leafAm, testLeaflet(t, "am"), Options{}); err != nil {
		t.Fatal(err)
	}
	if err := RenderLeaflet(&leafTl, testLeaflet(t, "tl"), Options{}); err != nil {
		t.Fatal(err)
	}
	if err := RenderLeaflet(&leafAr, testLeaflet(t, "ar"), Options{}); err != nil {
		t.Fatal(err)
	}
	frAr := render(t, testContract(t, "fr", "ar"), Options{})
	for _, tc := range []struct {
		name  string
		pdf   []byte
		pages []string // first and last page, pdftoppm -f/-l
	}{
		{"latin-fr-tl", render(t, testContract(t, "fr", "tl"), Options{}), []string{"1", "4"}},
		{"ethiopic-fr-am", render(t, testContract(t, "fr", "am"), Options{}), []string{"1", "5"}},
		{"leaflet-am", leafAm.Bytes(), []string{"1", "2"}},
		{"leaflet-tl", leafTl.Bytes(), []string{"1", "2"}},
		{"arabic-fr-ar", frAr, []string{"1", strconv.Itoa(pageCount(frAr))}},
		{"leaflet-ar", leafAr.Bytes(), []string{"1", "2"}},
	} {
		pdf := filepath.Join(*pngDir, tc.name+".pdf")
		if err := os.WriteFile(pdf, tc.pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(tool, "-r", "80", "-png", "-f", tc.pages[0], "-l", tc.pages[1], pdf, filepath.Join(*pngDir, tc.name)).CombinedOutput()
		if err != nil {
			t.Fatalf("pdftoppm %s: %v\n%s", tc.name, err, out)
		}
		t.Logf("%s: %d pages, %d bytes", tc.name, pageCount(tc.pdf), len(tc.pdf))
	}
}
