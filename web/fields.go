package web

import (
	"html"
	"html/template"
	"strings"

	"github.com/pdw-registry/pdw/models"
)

// Form controls. Each has a visible label tied to the input, shows the
// submitted value again after an error, and marks a field with an error
// (aria-invalid, aria-describedby pointing at the message). Values are
// escaped here: the result is safe HTML.

func fieldID(name string) string { return "f-" + strings.NewReplacer(".", "-", "_", "-").Replace(name) }

func (v *view) errorHTML(name string) (attrs, msg string) {
	e := v.Err(name)
	if e == "" {
		return "", ""
	}
	id := fieldID(name) + "-err"
	return ` aria-invalid="true" aria-describedby="` + id + `"`,
		`<p class="field-error" id="` + id + `">` + html.EscapeString(e) + `</p>`
}

// Input is a labelled text-like input (type text, date, number, email,
// password, tel); def is the value before the form is submitted.
func (v *view) Input(name, label, typ, def string, required bool) template.HTML {
	attrs, msg := v.errorHTML(name)
	id := fieldID(name)
	val := v.Val(name, def)
	var b strings.Builder
	b.WriteString(`<div class="field"><label for="` + id + `">` + html.EscapeString(v.T(label)) + `</label>`)
	b.WriteString(`<input id="` + id + `" name="` + html.EscapeString(name) + `" type="` + html.EscapeString(typ) + `"`)
	if typ != "password" {
		b.WriteString(` value="` + html.EscapeString(val) + `"`)
	}
	if typ == "number" {
		b.WriteString(` step="any" inputmode="decimal"`)
	}
	if required {
		b.WriteString(` required`)
	}
	b.WriteString(attrs + `>` + msg + `</div>`)
	return template.HTML(b.String())
}

// Choice is one option of a Select.
type Choice struct{ Value, Text string }

// Select is a labelled drop-down; an empty first option when optional.
func (v *view) Select(name, label string, choices []Choice, def string, required bool) template.HTML {
	attrs, msg := v.errorHTML(name)
	id := fieldID(name)
	val := v.Val(name, def)
	var b strings.Builder
	b.WriteString(`<div class="field"><label for="` + id + `">` + html.EscapeString(v.T(label)) + `</label>`)
	b.WriteString(`<select id="` + id + `" name="` + html.EscapeString(name) + `"`)
	if required {
		b.WriteString(` required`)
	}
	b.WriteString(attrs + `><option value="">–</option>`)
	for _, c := range choices {
		b.WriteString(`<option value="` + html.EscapeString(c.Value) + `"`)
		if c.Value == val {
			b.WriteString(` selected`)
		}
		b.WriteString(`>` + html.EscapeString(c.Text) + `</option>`)
	}
	b.WriteString(`</select>` + msg + `</div>`)
	return template.HTML(b.String())
}

// Checkbox is a labelled checkbox, ticked by default when def.
func (v *view) Checkbox(name, label string, def bool) template.HTML {
	attrs, msg := v.errorHTML(name)
	id := fieldID(name)
	var b strings.Builder
	b.WriteString(`<div class="field check"><input id="` + id + `" name="` + html.EscapeString(name) + `" type="checkbox" value="1"`)
	if v.Checked(name, def) {
		b.WriteString(` checked`)
	}
	b.WriteString(attrs + `><label for="` + id + `">` + html.EscapeString(v.T(label)) + `</label>` + msg + `</div>`)
	return template.HTML(b.String())
}

// Choices turns a list of codes into options labelled "prefix.code".
func (v *view) Choices(prefix string, codes []string) []Choice {
	out := make([]Choice, len(codes))
	for i, c := range codes {
		out[i] = Choice{Value: c, Text: v.Label(prefix, c)}
	}
	return out
}

// MissionChoices, WorkerChoices and EmployerChoices list records as options.
func (v *view) MissionChoices(ms []models.Mission) []Choice {
	out := make([]Choice, len(ms))
	for i, m := range ms {
		out[i] = Choice{m.ID, m.Name + " (" + m.Country + ")"}
	}
	return out
}

func (v *view) WorkerChoices(ws []models.Worker) []Choice {
	out := make([]Choice, len(ws))
	for i, w := range ws {
		out[i] = Choice{w.ID, w.FullName + " (" + w.Nationality + ")"}
	}
	return out
}

func (v *view) EmployerChoices(es []models.Employer) []Choice {
	out := make([]Choice, len(es))
	for i, e := range es {
		out[i] = Choice{e.ID, e.FullName + " (" + v.Label("rank", e.Rank) + ")"}
	}
	return out
}
