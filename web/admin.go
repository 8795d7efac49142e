package web

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/pdw-registry/pdw/models"
)

func (w *Web) showPolicies(c *gin.Context) {
	_, p, ok := w.filters(c)
	if !ok {
		return
	}
	ps, next, err := w.store.FindPolicies(c.Request.Context(), p)
	if err != nil {
		w.fail(c, err)
		return
	}
	w.page(c, "policies", "policies.title", listPage[models.Policy]{Items: ps, Next: next})
}

// policyRow is one rule of a policy version as the page lists it.
type policyRow struct{ Key, Value string }

func (w *Web) showPolicy(c *gin.Context) {
	id, ok := w.pathID(c, "policy")
	if !ok {
		return
	}
	p, err := w.store.FindPolicyByID(c.Request.Context(), id)
	if err != nil {
		w.fail(c, err)
		return
	}
	// The rules as the API shows them, one row each, in key order.
	b, err := json.Marshal(p)
	if err != nil {
		w.fail(c, err)
		return
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		w.fail(c, err)
		return
	}
	var rows []policyRow
	for k, v := range m {
		var s string
		switch x := v.(type) {
		case string:
			s = x
		case nil:
			s = "–"
		default:
			j, _ := json.Marshal(x)
			s = string(j)
		}
		rows = append(rows, policyRow{Key: k, Value: s})
	}
	slices.SortFunc(rows, func(a, b policyRow) int {
		if a.Key < b.Key {
			return -1
		}
		if a.Key > b.Key {
			return 1
		}
		return 0
	})
	w.page(c, "policy", "policies.one", map[string]any{"Policy": p, "Rows": rows})
}

type usersPage struct {
	Users    []models.User
	Next     string
	Roles    []string
	Missions []models.Mission
	Langs    []string
}

func (w *Web) usersData(c *gin.Context) (*usersPage, error) {
	_, p, ok := w.filters(c)
	if !ok {
		return nil, nil
	}
	us, next, err := w.store.FindUsers(c.Request.Context(), p)
	if err != nil {
		return nil, err
	}
	return &usersPage{Users: us, Next: next, Roles: models.Roles, Missions: w.missionChoices(c), Langs: models.ConsoleLanguages}, nil
}

func (w *Web) showUsers(c *gin.Context) {
	d, err := w.usersData(c)
	if err != nil {
		w.fail(c, err)
		return
	}
	if d == nil {
		return
	}
	w.page(c, "users", "users.title", d)
}

// saveUser creates an account (admins).
func (w *Web) saveUser(c *gin.Context) {
	f := newForm(c.Request.PostForm)
	u := &models.User{Email: f.str("email"), Role: f.str("role"), MissionID: f.opt("mission_id"), Language: f.str("language")}
	err := f.err()
	if err == nil {
		err = w.store.CreateUser(c.Request.Context(), u, c.PostForm("password"))
	}
	if err != nil {
		d, derr := w.usersData(c)
		if derr != nil || d == nil {
			w.fail(c, fmt.Errorf("web: users: %w", derr))
			return
		}
		c.Request.PostForm.Del("password")
		w.formError(c, "users", "users.title", d, err)
		return
	}
	redirect(c, "/users")
}

type auditPage struct {
	Events []models.AuditEvent
	Next   string
	Query  map[string]string
}

// showAudit pages through the audit trail (admins), with filters.
func (w *Web) showAudit(c *gin.Context) {
	q, _, ok := w.filters(c, "actor_id", "object_type", "object_id", "action", "after_seq")
	if !ok {
		return
	}
	f := models.AuditFilter{ActorID: q["actor_id"], ObjectType: q["object_type"], ObjectID: q["object_id"], Action: q["action"], Limit: 100}
	if s := q["after_seq"]; s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 {
			w.fail(c, &models.Error{Code: models.EBADREQUEST, Message: "Bad query parameters.",
				Fields: map[string]string{"after_seq": "must be a whole number"}})
			return
		}
		f.AfterSeq = n
	}
	evs, err := w.store.FindAuditEvents(c.Request.Context(), f)
	if err != nil {
		w.fail(c, err)
		return
	}
	p := auditPage{Events: evs, Query: q}
	if len(evs) == f.Limit {
		p.Next = strconv.FormatInt(evs[len(evs)-1].Seq, 10)
	}
	w.page(c, "audit", "audit.title", p)
}
