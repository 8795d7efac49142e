package store

import (
	"context"
	"strings"

	"gorm.io/gorm"

	"github.com/pdw-registry/pdw/models"
)

// scopeMission limits q to the actor's mission when the actor is a mission
// user; column names the mission id column of the queried table.
func scopeMission(ctx context.Context, q *gorm.DB, column string) *gorm.DB {
	a := models.ActorFrom(ctx)
	if a.Role != models.RoleMission {
		return q
	}
	if a.MissionID == "" {
		return q.Where("1 = 0")
	}
	return q.Where(column+" = ?", a.MissionID)
}

// page applies keyset pagination (ids are UUIDv7, so id order is creation
// order) and returns the page and the cursor of the next one ("" at the end).
func page[T any](q *gorm.DB, p models.Page, idOf func(*T) string) ([]T, string, error) {
	limit := pageLimit(p)
	if p.After != "" {
		q = q.Where("id > ?", p.After)
	}
	out := make([]T, 0, limit+1)
	if err := q.Order("id").Limit(limit + 1).Find(&out).Error; err != nil {
		return nil, "", err
	}
	next := ""
	if len(out) > limit {
		out = out[:limit]
		next = idOf(&out[limit-1])
	}
	return out, next, nil
}

// pageLimit returns the page size of p: DefaultPageLimit when unset, at
// most MaxPageLimit.
func pageLimit(p models.Page) int {
	switch {
	case p.Limit <= 0:
		return models.DefaultPageLimit
	case p.Limit > models.MaxPageLimit:
		return models.MaxPageLimit
	}
	return p.Limit
}

// like returns a case-insensitive LIKE pattern for a search term with its
// wildcards escaped.
func like(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + strings.ToLower(r.Replace(s)) + "%"
}

// whereLike adds a case-insensitive substring match on column.
func whereLike(q *gorm.DB, column, term string) *gorm.DB {
	return q.Where("LOWER("+column+") LIKE ? ESCAPE '\\'", like(term))
}
