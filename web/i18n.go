package web

import (
	"embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/pdw-registry/pdw/models"
)

// The console's texts, one flat JSON file of key -> text per console
// language (models.ConsoleLanguages). Texts may hold fmt verbs (%s, %d)
// for values filled in by the page.
//
//go:embed i18n/*.json
var i18nFS embed.FS

// missingKeys records the keys a page asked for that the console's texts
// lack (a bug the template test reports).
var missingKeys sync.Map

type catalog struct {
	langs map[string]map[string]string
}

func loadCatalog() (*catalog, error) {
	c := &catalog{langs: map[string]map[string]string{}}
	for _, lang := range models.ConsoleLanguages {
		b, err := i18nFS.ReadFile("i18n/" + lang + ".json")
		if err != nil {
			return nil, fmt.Errorf("web: console texts %s: %w", lang, err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, fmt.Errorf("web: console texts %s: %w", lang, err)
		}
		c.langs[lang] = m
	}
	// Every language has every key of the first, with the same verbs.
	base := c.langs[models.ConsoleLanguages[0]]
	var problems []string
	for _, lang := range models.ConsoleLanguages[1:] {
		for k, v := range base {
			t, ok := c.langs[lang][k]
			switch {
			case !ok:
				problems = append(problems, lang+": missing "+k)
			case verbs(t) != verbs(v):
				problems = append(problems, lang+": "+k+" has other placeholders than "+models.ConsoleLanguages[0])
			}
		}
		for k := range c.langs[lang] {
			if _, ok := base[k]; !ok {
				problems = append(problems, lang+": unknown key "+k)
			}
		}
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		return nil, fmt.Errorf("web: console texts: %s", strings.Join(problems, "; "))
	}
	return c, nil
}

// verbs lists a text's fmt verbs in order ("%s%d").
func verbs(s string) string {
	var b strings.Builder
	for i := 0; i < len(s)-1; i++ {
		if s[i] == '%' {
			b.WriteByte('%')
			b.WriteByte(s[i+1])
			i++
		}
	}
	return b.String()
}

// text returns the text of key in lang, formatted with args; a missing key
// shows as the key itself (and fails the template test).
func (c *catalog) text(lang, key string, args ...any) string {
	m, ok := c.langs[lang]
	if !ok {
		m = c.langs[models.ConsoleLanguages[0]]
	}
	t, ok := m[key]
	if !ok {
		missingKeys.Store(key, true)
		return key
	}
	if len(args) > 0 {
		return fmt.Sprintf(t, args...)
	}
	return t
}

// has reports whether key exists (for label fallbacks).
func (c *catalog) has(key string) bool {
	_, ok := c.langs[models.ConsoleLanguages[0]][key]
	return ok
}
