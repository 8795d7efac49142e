package store_test

import (
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store"
	"github.com/pdw-registry/pdw/models/store/storetest"
)

// TestDB_AuthCache: a checked credential is trusted for AuthCacheTTL;
// any change made through the store (logout, a token deleted, an account
// disabled) ends it at once in this process; a change made behind the
// store's back (another replica) is seen within AuthCacheTTL; a session
// never outlives its end because it is cached.
func TestDB_AuthCache(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		store.BcryptCost = bcrypt.MinCost
		clock := storetest.Now
		db.Now = func() time.Time { return clock }
		ctx := storetest.SysCtx()
		u := &models.User{Email: "officer@office.example", Role: models.RoleOfficer}
		if err := db.CreateUser(ctx, u, "a long enough password"); err != nil {
			t.Fatal(err)
		}
		tok, secret, err := db.CreateAPIToken(ctx, u, "t")
		if err != nil {
			t.Fatal(err)
		}
		ok := func(what string) {
			t.Helper()
			if _, err := db.UserByToken(ctx, secret); err != nil {
				t.Fatalf("%s: %v, want the account", what, err)
			}
		}
		refused := func(what string) {
			t.Helper()
			if _, err := db.UserByToken(ctx, secret); models.ErrorCode(err) != models.EUNAUTHORIZED {
				t.Fatalf("%s: %v, want EUNAUTHORIZED", what, err)
			}
		}
		ok("first use")
		// Behind the store's back: trusted until the TTL runs out.
		if err := db.ExecRaw(ctx, "UPDATE users SET disabled = ? WHERE id = ?", true, u.ID); err != nil {
			t.Fatal(err)
		}
		ok("disabled elsewhere, within the TTL")
		clock = clock.Add(store.AuthCacheTTL)
		refused("disabled elsewhere, after the TTL")
		// Through the store: at once.
		no := false
		if _, err := db.UpdateUser(ctx, u.ID, models.UserUpdate{Disabled: &no}); err != nil {
			t.Fatal(err)
		}
		ok("enabled again")
		if err := db.DeleteAPIToken(ctx, tok.ID); err != nil {
			t.Fatal(err)
		}
		refused("token deleted")

		// A session ends at its end, cached or not; logout ends it at once.
		s, err := db.CreateSession(ctx, u, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.UserBySession(ctx, s); err != nil {
			t.Fatal(err)
		}
		clock = clock.Add(time.Second)
		if _, err := db.UserBySession(ctx, s); models.ErrorCode(err) != models.EUNAUTHORIZED {
			t.Errorf("ended session: %v, want EUNAUTHORIZED", err)
		}
		s, err = db.CreateSession(ctx, u, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.UserBySession(ctx, s); err != nil {
			t.Fatal(err)
		}
		if err := db.DeleteSession(ctx, s); err != nil {
			t.Fatal(err)
		}
		if _, err := db.UserBySession(ctx, s); models.ErrorCode(err) != models.EUNAUTHORIZED {
			t.Errorf("after logout: %v, want EUNAUTHORIZED", err)
		}
	})
}
