package api

import (
	"bytes"
	"cmp"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/pdw-registry/pdw/models"
)

// decodeMaxBytes is the largest request body decodeJSON accepts (the
// middleware also wraps every body in http.MaxBytesReader at this size).
const decodeMaxBytes = MaxBodyBytes

// jsonSpace is the white space JSON allows between tokens.
const jsonSpace = " \t\r\n"

// decodeJSON decodes a request body holding exactly one JSON object into
// dst, a non-nil pointer to a struct. Unknown fields, values of the wrong
// type, malformed JSON, trailing data and over-long bodies are refused.
//
// It returns nil or a *models.Error: ETOOLARGE for a body over the limit,
// EBADREQUEST otherwise, with Fields naming the failing field by its full
// JSON path ("terms.weekly_hours", "items[1].name"). Messages never repeat
// values from the body, which may hold personal data.
func decodeJSON(body io.Reader, dst any) error {
	return decodeJSONMax(body, dst, decodeMaxBytes)
}

// decodeJSONMax is decodeJSON with a body limit of maxBytes.
func decodeJSONMax(body io.Reader, dst any, maxBytes int64) error {
	if body == nil {
		return models.Errorf(models.EBADREQUEST, "request body is empty")
	}
	data, err := io.ReadAll(io.LimitReader(body, maxBytes+1))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return bodyTooLarge(tooLarge.Limit)
		}
		return models.Errorf(models.EBADREQUEST, "request body could not be read")
	}
	if int64(len(data)) > maxBytes {
		return bodyTooLarge(maxBytes)
	}
	trimmed := bytes.TrimLeft(data, jsonSpace)
	if len(trimmed) == 0 {
		return models.Errorf(models.EBADREQUEST, "request body is empty")
	}
	if trimmed[0] != '{' {
		return models.Errorf(models.EBADREQUEST, "request body must hold a single JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return decodeError(err, data, reflect.TypeOf(dst))
	}
	if off := dec.InputOffset(); off < 0 || off > int64(len(data)) ||
		len(bytes.TrimLeft(data[off:], jsonSpace)) > 0 {
		return models.Errorf(models.EBADREQUEST, "request body must hold a single JSON object")
	}
	return nil
}

// bodyTooLarge returns the ETOOLARGE error for a body over limit bytes.
func bodyTooLarge(limit int64) *models.Error {
	var size string
	switch {
	case limit >= 1<<20 && limit%(1<<20) == 0:
		size = fmt.Sprintf("%d MiB", limit>>20)
	case limit >= 1<<10 && limit%(1<<10) == 0:
		size = fmt.Sprintf("%d KiB", limit>>10)
	default:
		size = fmt.Sprintf("%d bytes", limit)
	}
	return models.Errorf(models.ETOOLARGE, "request body is larger than %s", size)
}

// decodeError turns an error from json.Decoder.Decode into a *models.Error.
// data is the whole body and dstType the type handed to Decode; they are
// used to find the JSON path of the failing value, which encoding/json
// reports incompletely or not at all.
func decodeError(err error, data []byte, dstType reflect.Type) *models.Error {
	var (
		syntaxErr  *json.SyntaxError
		typeErr    *json.UnmarshalTypeError
		invalidErr *json.InvalidUnmarshalError
		dateErr    *models.DateError
	)
	switch {
	case errors.As(err, &syntaxErr):
		return models.Errorf(models.EBADREQUEST, "malformed JSON at byte %d", syntaxErr.Offset)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return models.Errorf(models.EBADREQUEST, "malformed JSON at byte %d", len(data))
	case errors.Is(err, io.EOF):
		return models.Errorf(models.EBADREQUEST, "request body is empty")
	case errors.As(err, &invalidErr):
		// dst is not a non-nil pointer: a bug in the caller, not in the request.
		return models.Errorf(models.EINTERNAL, "request body could not be decoded")
	case errors.As(err, &typeErr):
		// encoding/json names the field without list indexes or map keys
		// (with GOEXPERIMENT=jsonv2: with them, dotted; or not at all for
		// an error from UnmarshalJSON).
		path := typeErr.Field
		found, ok := findJSONIssue(data, dstType, func(is jsonIssue) bool {
			return is.kind == issueType && is.typeErr.Type == typeErr.Type &&
				(is.v1Path == typeErr.Field || dottedPath(is.path) == typeErr.Field || typeErr.Field == "")
		})
		if ok {
			path = found.path
		}
		if path == "" {
			path = "body"
		}
		return &models.Error{
			Code:    models.EBADREQUEST,
			Message: "request body has a field of the wrong type",
			Fields:  map[string]string{path: typePhrase(typeErr)},
		}
	}
	if key, ok := unknownFieldKey(err); ok {
		found, ok := findJSONIssue(data, dstType, func(is jsonIssue) bool {
			return is.kind == issueUnknown && is.key == key
		})
		path := pathWithKey("", key)
		if ok {
			path = found.path
		}
		return &models.Error{
			Code:    models.EBADREQUEST,
			Message: "request body has an unknown field",
			Fields:  map[string]string{path: "unknown field"},
		}
	}

	// An error from a field's own UnmarshalJSON or UnmarshalText, or one
	// encoding/json reports without a type (",string" misuse, bad base64).
	// Its text may quote the value, so it is never shown unless it is a
	// *models.DateError, whose text is a fixed sentence.
	msg := "is not valid"
	if errors.As(err, &dateErr) && dateErr.Err != nil {
		msg = dateErr.Err.Error()
	}
	path := "body"
	errType := reflect.TypeOf(err)
	if found, ok := findJSONIssue(data, dstType, func(is jsonIssue) bool {
		return is.kind == issueOther && reflect.TypeOf(is.err) == errType
	}); ok && found.path != "" {
		path = found.path
	}
	return &models.Error{
		Code:    models.EBADREQUEST,
		Message: "request body has an invalid value",
		Fields:  map[string]string{path: msg},
	}
}

// unknownFieldKey returns the key named by encoding/json's error for an
// unknown field when DisallowUnknownFields is set.
func unknownFieldKey(err error) (string, bool) {
	const prefix = "json: unknown field "
	msg := err.Error()
	if !strings.HasPrefix(msg, prefix) {
		return "", false
	}
	key, uerr := strconv.Unquote(msg[len(prefix):])
	if uerr != nil {
		return "", false
	}
	return key, true
}

var (
	dateType            = reflect.TypeFor[models.Date]()
	numberType          = reflect.TypeFor[json.Number]()
	rawMessageType      = reflect.TypeFor[json.RawMessage]()
	jsonUnmarshalerType = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// Phrases for values of the wrong type; see typePhrase.
const (
	mustBeWholeNumber        = "must be a whole number"
	mustBeWholeNumberInRange = "must be a whole number in range"
	mustBeWholeNumberPlain   = "must be a whole number written without a decimal point or exponent"
	mustBeNumber             = "must be a number"
	mustBeNumberInRange      = "must be a number in range"
	mustBeString             = "must be a string"
	mustBeBool               = "must be true or false"
	mustBeList               = "must be a list"
	mustBeObject             = "must be an object"
	mustBeDate               = "must be a date written YYYY-MM-DD"
	mustBeBytes              = "must be a base64-encoded string or a list"
	hasWrongType             = "has the wrong type"
)

// typePhrase says in plain words what the value named by err must be.
func typePhrase(err *json.UnmarshalTypeError) string {
	t := err.Type
	if t == nil {
		return hasWrongType
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == dateType:
		return mustBeDate
	case t == numberType:
		return mustBeNumber
	case implements(t, textUnmarshalerType):
		return mustBeString
	case implements(t, jsonUnmarshalerType):
		return hasWrongType
	}
	switch t.Kind() {
	case reflect.Bool:
		return mustBeBool
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		lo := -math.Ldexp(1, t.Bits()-1)
		return wholeNumberPhrase(err.Value, lo, -lo)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return wholeNumberPhrase(err.Value, 0, math.Ldexp(1, t.Bits()))
	case reflect.Float32, reflect.Float64:
		if strings.HasPrefix(err.Value, "number ") {
			return mustBeNumberInRange
		}
		return mustBeNumber
	case reflect.String:
		return mustBeString
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			return mustBeBytes
		}
		return mustBeList
	case reflect.Array:
		return mustBeList
	case reflect.Struct, reflect.Map:
		return mustBeObject
	}
	return hasWrongType
}

// wholeNumberPhrase explains why value, as encoding/json describes it in an
// UnmarshalTypeError ("number 1.5", "string"), does not fit an integer in
// [lo, hi).
func wholeNumberPhrase(value string, lo, hi float64) string {
	lit, ok := strings.CutPrefix(value, "number ")
	if !ok {
		return mustBeWholeNumber
	}
	f, err := strconv.ParseFloat(lit, 64)
	switch {
	case err != nil && !errors.Is(err, strconv.ErrRange):
		return mustBeWholeNumber
	case math.IsInf(f, 0):
		return mustBeWholeNumberInRange
	case f != math.Trunc(f):
		return mustBeWholeNumber
	case f < lo || f >= hi:
		return mustBeWholeNumberInRange
	case strings.ContainsAny(lit, ".eE"):
		return mustBeWholeNumberPlain
	}
	// An integer literal that fits a float64 but not the Go type ("-0" into
	// a uint, or a value rounding to the bound).
	return mustBeWholeNumberInRange
}

// implements reports whether t or *t implements the interface iface.
func implements(t, iface reflect.Type) bool {
	return t.Implements(iface) || t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(iface)
}

// issueKind classifies a problem findJSONIssue meets.
type issueKind int

const (
	issueUnknown issueKind = iota + 1 // a key naming no field
	issueType                         // a value of the wrong type
	issueOther                        // another error for one value, e.g. from UnmarshalJSON
)

// jsonIssue is one problem in a body, found by walking it alongside the
// destination type.
type jsonIssue struct {
	kind issueKind
	// path is the full JSON path of the value: "terms.foo", "items[1].name".
	path string
	// key is the unknown key (issueUnknown).
	key string
	// v1Path is the path as encoding/json puts it in UnmarshalTypeError.Field:
	// struct field names only, embedded structs by Go name, no indexes or
	// map keys (issueType).
	v1Path  string
	typeErr *json.UnmarshalTypeError // issueType
	err     error                    // issueOther
}

// findJSONIssue walks data, a body holding one syntactically valid JSON
// value, alongside t, the type it was decoded into, and returns the first
// problem in document order that match accepts. It mirrors encoding/json:
// keys map to struct fields by exact and then case-insensitive name; each
// value that is not an object or array being decoded into a struct, map,
// slice or array is checked by decoding it alone into a fresh value of its
// type, so that type errors and errors from UnmarshalJSON are the decoder's
// own. Types implementing json.Unmarshaler or encoding.TextUnmarshaler are
// not descended into.
func findJSONIssue(data []byte, t reflect.Type, match func(jsonIssue) bool) (jsonIssue, bool) {
	if t == nil {
		return jsonIssue{}, false
	}
	w := &jsonWalker{
		dec:    json.NewDecoder(bytes.NewReader(data)),
		data:   data,
		match:  match,
		fields: map[reflect.Type]*jsonFieldSet{},
	}
	w.dec.UseNumber()
	w.value(t, "", "")
	return w.found, w.ok
}

type jsonWalker struct {
	dec    *json.Decoder
	data   []byte
	match  func(jsonIssue) bool
	fields map[reflect.Type]*jsonFieldSet
	found  jsonIssue
	ok     bool
	done   bool // an issue was found or the token stream ended early
}

// report offers is to match and reports whether the walk is over.
func (w *jsonWalker) report(is jsonIssue) bool {
	if w.match(is) {
		w.found, w.ok, w.done = is, true, true
	}
	return w.done
}

// token reads the next token; on failure the walk ends.
func (w *jsonWalker) token() (json.Token, bool) {
	tok, err := w.dec.Token()
	if err != nil {
		w.done = true
		return nil, false
	}
	return tok, true
}

// value walks one JSON value decoded into type t. jp is its JSON path and
// v1Path its path as encoding/json reports it.
func (w *jsonWalker) value(t reflect.Type, jp, v1Path string) {
	if w.done {
		return
	}
	start := w.dec.InputOffset()
	tok, ok := w.token()
	if !ok {
		return
	}
	delim, isDelim := tok.(json.Delim)
	if isDelim && delim != '{' && delim != '[' {
		w.done = true
		return
	}
	orig := t
	for t.Kind() == reflect.Pointer {
		if tok == nil { // null sets a pointer to nil, whatever it points to
			return
		}
		t = t.Elem()
	}
	if isDelim && !implements(t, jsonUnmarshalerType) && !implements(t, textUnmarshalerType) {
		switch {
		case delim == '{' && t.Kind() == reflect.Struct:
			w.object(t, jp, v1Path)
			return
		case delim == '{' && t.Kind() == reflect.Map && mapKeyOK(t.Key()):
			w.mapObject(t, jp, v1Path)
			return
		case delim == '[' && (t.Kind() == reflect.Slice || t.Kind() == reflect.Array):
			w.array(t, jp, v1Path)
			return
		}
	}
	if isDelim && !w.skipRest() {
		return
	}
	w.leaf(orig, w.raw(start, w.dec.InputOffset()), jp, v1Path)
}

// leaf decodes raw alone into a new value of type t and reports its error.
func (w *jsonWalker) leaf(t reflect.Type, raw []byte, jp, v1Path string) {
	err := json.Unmarshal(raw, reflect.New(t).Interface())
	if err == nil {
		return
	}
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		w.report(jsonIssue{kind: issueType, path: jp, v1Path: joinPath(v1Path, typeErr.Field), typeErr: typeErr})
		return
	}
	w.report(jsonIssue{kind: issueOther, path: jp, err: err})
}

// object walks the members of an object decoded into struct type t; its
// opening brace has been read.
func (w *jsonWalker) object(t reflect.Type, jp, v1Path string) {
	fields := w.fields[t]
	if fields == nil {
		fields = newJSONFieldSet(t)
		w.fields[t] = fields
	}
	for !w.done && w.dec.More() {
		tok, ok := w.token()
		if !ok {
			return
		}
		key, ok := tok.(string)
		if !ok {
			w.done = true
			return
		}
		f := fields.lookup(key)
		switch {
		case f == nil:
			if w.report(jsonIssue{kind: issueUnknown, path: pathWithKey(jp, key), key: key}) {
				return
			}
			w.skipValue()
		case f.skip:
			w.skipValue()
		default:
			w.value(f.typ, joinPath(jp, f.name), joinPath(joinPath(v1Path, f.v1Prefix), f.name))
		}
	}
	w.closing('}')
}

// mapObject walks the members of an object decoded into map type t; its
// opening brace has been read.
func (w *jsonWalker) mapObject(t reflect.Type, jp, v1Path string) {
	kt := t.Key()
	plainKey := kt.Kind() == reflect.String && !reflect.PointerTo(kt).Implements(textUnmarshalerType)
	for !w.done && w.dec.More() {
		tok, ok := w.token()
		if !ok {
			return
		}
		key, ok := tok.(string)
		if !ok {
			w.done = true
			return
		}
		// encoding/json decodes the value before it converts the key.
		w.value(t.Elem(), pathWithKey(jp, key), v1Path)
		if !plainKey && !w.done {
			rawKey, err := json.Marshal(key)
			if err != nil {
				continue
			}
			raw := append(append([]byte{'{'}, rawKey...), ":null}"...)
			w.leaf(reflect.MapOf(kt, rawMessageType), raw, jp, v1Path)
		}
	}
	w.closing('}')
}

// array walks the elements of an array decoded into slice or array type t;
// its opening bracket has been read.
func (w *jsonWalker) array(t reflect.Type, jp, v1Path string) {
	for i := 0; !w.done && w.dec.More(); i++ {
		if t.Kind() == reflect.Array && i >= t.Len() {
			w.skipValue() // encoding/json drops elements past the end
			continue
		}
		w.value(t.Elem(), jp+"["+strconv.Itoa(i)+"]", v1Path)
	}
	w.closing(']')
}

// closing reads the token ending an object or array.
func (w *jsonWalker) closing(want json.Delim) {
	if w.done {
		return
	}
	if tok, ok := w.token(); ok && tok != want {
		w.done = true
	}
}

// skipValue reads one value without looking at it.
func (w *jsonWalker) skipValue() {
	if w.done {
		return
	}
	tok, ok := w.token()
	if !ok {
		return
	}
	if d, isDelim := tok.(json.Delim); isDelim && (d == '{' || d == '[') {
		w.skipRest()
	}
}

// skipRest reads up to the end of an object or array whose opening token has
// been read, and reports whether it succeeded.
func (w *jsonWalker) skipRest() bool {
	for depth := 1; depth > 0; {
		tok, ok := w.token()
		if !ok {
			return false
		}
		if d, isDelim := tok.(json.Delim); isDelim {
			if d == '{' || d == '[' {
				depth++
			} else {
				depth--
			}
		}
	}
	return true
}

// raw returns the value between decoder offsets start and end; start may
// precede the value by white space and a ',' or ':'.
func (w *jsonWalker) raw(start, end int64) []byte {
	if start < 0 || end > int64(len(w.data)) || start > end {
		return nil
	}
	return bytes.TrimLeft(w.data[start:end], jsonSpace+",:")
}

// mapKeyOK reports whether encoding/json decodes objects into maps with key
// type kt.
func mapKeyOK(kt reflect.Type) bool {
	switch kt.Kind() {
	case reflect.String,
		reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return true
	}
	return reflect.PointerTo(kt).Implements(textUnmarshalerType)
}

// joinPath appends name to a dotted path.
func joinPath(path, name string) string {
	switch {
	case name == "":
		return path
	case path == "":
		return name
	}
	return path + "." + name
}

// pathWithKey appends an object key from the body to a path: dotted when it
// reads as a plain name, else quoted in brackets, and cut short when long.
func pathWithKey(path, key string) string {
	const maxKey = 64
	cut := false
	if len(key) > maxKey {
		n := maxKey
		for n > 0 && !utf8.RuneStart(key[n]) {
			n--
		}
		key, cut = key[:n], true
	}
	plain := key != ""
	for _, r := range key {
		if r == '.' || r == '[' || r == ']' || r == '"' || r == '\\' || !unicode.IsPrint(r) {
			plain = false
			break
		}
	}
	switch {
	case plain && !cut:
		return joinPath(path, key)
	case plain:
		return joinPath(path, key+"…")
	case cut:
		return path + "[" + strconv.Quote(key) + "…]"
	}
	return path + "[" + strconv.Quote(key) + "]"
}

// dottedPath writes a path from pathWithKey and jsonWalker.array with dots
// only: "items[1].name" as "items.1.name", `terms["a.b"]` as "terms.a.b".
func dottedPath(path string) string {
	var b strings.Builder
	for i := 0; i < len(path); {
		c := path[i]
		if c != '[' {
			b.WriteByte(c)
			i++
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		if quoted, err := strconv.QuotedPrefix(path[i+1:]); err == nil {
			key, _ := strconv.Unquote(quoted)
			b.WriteString(key)
			i += 1 + len(quoted)
		} else {
			j := i + 1
			for j < len(path) && path[j] != ']' {
				j++
			}
			b.WriteString(path[i+1 : j])
			i = j
		}
		// Skip the cut mark and the closing bracket.
		rest := strings.TrimPrefix(path[i:], "…")
		i = len(path) - len(strings.TrimPrefix(rest, "]"))
	}
	return b.String()
}

// jsonField is a struct field as encoding/json decodes it.
type jsonField struct {
	name  string
	tag   bool  // name came from a json tag
	index []int // as in reflect.Type.FieldByIndex
	// quoted marks the ",string" option, which the walk does not check.
	quoted bool
	typ    reflect.Type // the field's Go type
	// v1Prefix holds the Go names of the embedded structs the field is
	// promoted through, which encoding/json puts in UnmarshalTypeError.Field.
	v1Prefix string
	// skip marks fields the walk does not descend into: ",string" fields and
	// fields promoted through an embedded pointer to an unexported type.
	skip bool
}

// jsonFieldSet is the set of fields encoding/json decodes into for a struct.
type jsonFieldSet struct {
	exact  map[string]*jsonField
	folded map[string]*jsonField
}

func (s *jsonFieldSet) lookup(key string) *jsonField {
	if f := s.exact[key]; f != nil {
		return f
	}
	return s.folded[foldJSONName(key)]
}

// newJSONFieldSet lists the fields of struct type t as encoding/json's
// typeFields does: exported fields by json tag name or Go name, omitting
// `json:"-"`, with the fields of embedded structs promoted and Go's rules
// for hidden and ambiguous fields (a tagged field wins over an untagged
// one at the same depth).
func newJSONFieldSet(t reflect.Type) *jsonFieldSet {
	type embedded struct {
		typ   reflect.Type
		index []int
	}
	var (
		current, next    []embedded
		count, nextCount map[reflect.Type]int
		visited          = map[reflect.Type]bool{}
		fields           []jsonField
	)
	next = []embedded{{typ: t}}
	for len(next) > 0 {
		current, next = next, nil
		count, nextCount = nextCount, map[reflect.Type]int{}
		for _, e := range current {
			if visited[e.typ] {
				continue
			}
			visited[e.typ] = true
			for i := 0; i < e.typ.NumField(); i++ {
				sf := e.typ.Field(i)
				if sf.Anonymous {
					st := sf.Type
					if st.Kind() == reflect.Pointer {
						st = st.Elem()
					}
					if !sf.IsExported() && st.Kind() != reflect.Struct {
						continue
					}
				} else if !sf.IsExported() {
					continue
				}
				tag := sf.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, opts, _ := strings.Cut(tag, ",")
				if !validJSONTagName(name) {
					name = ""
				}
				index := append(slices.Clone(e.index), i)
				ft := sf.Type
				if ft.Name() == "" && ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				quoted := false
				if slices.Contains(strings.Split(opts, ","), "string") {
					switch ft.Kind() {
					case reflect.Bool,
						reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
						reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
						reflect.Float32, reflect.Float64,
						reflect.String:
						quoted = true
					}
				}
				if name != "" || !sf.Anonymous || ft.Kind() != reflect.Struct {
					tagged := name != ""
					if name == "" {
						name = sf.Name
					}
					f := jsonField{name: name, tag: tagged, index: index, quoted: quoted}
					fields = append(fields, f)
					if count[e.typ] > 1 {
						// The same embedded struct more than once at this
						// depth: record a duplicate so that it annihilates.
						fields = append(fields, f)
					}
					continue
				}
				nextCount[ft]++
				if nextCount[ft] == 1 {
					next = append(next, embedded{typ: ft, index: index})
				}
			}
		}
	}

	slices.SortFunc(fields, func(a, b jsonField) int {
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		if c := cmp.Compare(len(a.index), len(b.index)); c != 0 {
			return c
		}
		if a.tag != b.tag {
			if a.tag {
				return -1
			}
			return +1
		}
		return slices.Compare(a.index, b.index)
	})
	out := fields[:0]
	for i := 0; i < len(fields); {
		j := i + 1
		for j < len(fields) && fields[j].name == fields[i].name {
			j++
		}
		// The dominant field is the shallowest, tagged one; two of equal
		// standing hide each other.
		if j-i == 1 || len(fields[i].index) < len(fields[i+1].index) || fields[i].tag != fields[i+1].tag {
			out = append(out, fields[i])
		}
		i = j
	}
	fields = out
	slices.SortFunc(fields, func(a, b jsonField) int { return slices.Compare(a.index, b.index) })

	set := &jsonFieldSet{
		exact:  make(map[string]*jsonField, len(fields)),
		folded: make(map[string]*jsonField, len(fields)),
	}
	for i := range fields {
		f := &fields[i]
		f.skip = f.quoted
		var prefix []string
		ct := t
		for k, ind := range f.index {
			if ct.Kind() == reflect.Pointer {
				ct = ct.Elem()
			}
			sf := ct.Field(ind)
			if k < len(f.index)-1 {
				prefix = append(prefix, sf.Name)
				if sf.Type.Kind() == reflect.Pointer && !sf.IsExported() {
					f.skip = true // encoding/json cannot allocate it
				}
			}
			ct = sf.Type
		}
		f.typ = ct
		f.v1Prefix = strings.Join(prefix, ".")
		set.exact[f.name] = f
		// As in encoding/json, the first folded match takes precedence.
		if folded := foldJSONName(f.name); set.folded[folded] == nil {
			set.folded[folded] = f
		}
	}
	return set
}

// validJSONTagName reports whether encoding/json accepts s as a field name
// in a json tag.
func validJSONTagName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		switch {
		case strings.ContainsRune("!#$%&()*+-./:;<=>?@[]^_{|}~ ", c):
		case !unicode.IsLetter(c) && !unicode.IsDigit(c):
			return false
		}
	}
	return true
}

// foldJSONName folds a name for encoding/json's case-insensitive match of
// keys to field names.
func foldJSONName(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r < utf8.RuneSelf {
			if 'a' <= r && r <= 'z' {
				r -= 'a' - 'A'
			}
			b.WriteByte(byte(r))
			continue
		}
		// The smallest rune in r's fold set.
		for {
			r2 := unicode.SimpleFold(r)
			if r2 <= r {
				r = r2
				break
			}
			r = r2
		}
		b.WriteRune(r)
	}
	return b.String()
}
