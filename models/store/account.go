package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"github.com/pdw-registry/pdw/models"
)

// BcryptCost is the cost of new password hashes; tests lower it.
var BcryptCost = 12

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 12

// Secret returns a new random secret with a readable prefix ("pdw_").
func Secret(prefix string) string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("store: crypto/rand failed: " + err.Error())
	}
	return prefix + base64.RawURLEncoding.EncodeToString(b[:])
}

// HashSecret returns the SHA-256 (hex) under which a session or API token
// is stored: a high-entropy secret needs no slow hash.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// CreateUser validates and stores a user with a bcrypt hash of password.
func (db *DB) CreateUser(ctx context.Context, u *models.User, password string) error {
	fields := models.FieldErrors{}
	u.Email = strings.ToLower(strings.TrimSpace(u.Email))
	if !models.ValidEmail(u.Email) {
		fields.Add("email", "must be an e-mail address")
	}
	if !slices.Contains(models.Roles, u.Role) {
		fields.Add("role", "must be one of admin, officer, mission, auditor")
	}
	if u.Role == models.RoleMission && (u.MissionID == nil || *u.MissionID == "") {
		fields.Add("mission_id", "is required for the mission role")
	}
	if u.Role != models.RoleMission && u.MissionID != nil {
		fields.Add("mission_id", "only a mission user is bound to a mission")
	}
	if u.Language == "" {
		u.Language = models.ConsoleLanguages[0]
	} else if !slices.Contains(models.ConsoleLanguages, u.Language) {
		fields.Add("language", "must be one of "+strings.Join(models.ConsoleLanguages, ", "))
	}
	if len([]rune(password)) < MinPasswordLength {
		fields.Add("password", "must be at least 12 characters")
	} else if len(password) > 72 {
		fields.Add("password", "must be at most 72 bytes")
	}
	if err := fields.Err(); err != nil {
		return err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), BcryptCost)
	if err != nil {
		return err
	}
	u.ID = models.NewID()
	u.PasswordHash = string(hash)
	return translate(db.tx(ctx, func(tx *gorm.DB) error {
		if u.MissionID != nil {
			var n int64
			if err := tx.Model(&models.Mission{}).Where("id = ?", *u.MissionID).Count(&n).Error; err != nil {
				return err
			}
			if n == 0 {
				return invalidRef("mission_id", "mission")
			}
		}
		if err := tx.Create(u).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return &models.Error{Code: models.ECONFLICT, Message: "A user with this e-mail address already exists.",
					Fields: map[string]string{"email": "is already taken"}}
			}
			return err
		}
		return db.audit(ctx, tx, models.ActionCreate, "user", u.ID, u.Role)
	}), "user")
}

// CountUsers returns the number of accounts.
func (db *DB) CountUsers(ctx context.Context) (int64, error) {
	var n int64
	err := db.read(ctx).Model(&models.User{}).Count(&n).Error
	return n, translate(err, "user")
}

// CreateFirstAdmin creates the first administrator, only while there is no
// user at all (ECONFLICT afterwards).
func (db *DB) CreateFirstAdmin(ctx context.Context, email, password string) (*models.User, error) {
	n, err := db.CountUsers(ctx)
	if err != nil {
		return nil, err
	}
	if n > 0 {
		return nil, models.Errorf(models.ECONFLICT, "Setup is already done.")
	}
	u := &models.User{Email: email, Role: models.RoleAdmin}
	ctx = models.WithActor(ctx, models.Actor{UserID: "setup", Role: models.RoleSystem, RequestID: models.ActorFrom(ctx).RequestID})
	if err := db.CreateUser(ctx, u, password); err != nil {
		return nil, err
	}
	// Two racing setups both passed the count: keep the earliest admin only.
	var first models.User
	if err := db.read(ctx).Order("id").Take(&first).Error; err != nil {
		return nil, translate(err, "user")
	}
	if first.ID != u.ID {
		return nil, models.Errorf(models.ECONFLICT, "Setup is already done.")
	}
	return u, nil
}

// FindUserByEmail returns the user with that e-mail address.
func (db *DB) FindUserByEmail(ctx context.Context, email string) (*models.User, error) {
	var u models.User
	err := db.read(ctx).Where("email = ?", strings.ToLower(strings.TrimSpace(email))).Take(&u).Error
	return &u, translate(err, "user")
}

// FindUserByID returns one user.
func (db *DB) FindUserByID(ctx context.Context, id string) (*models.User, error) {
	var u models.User
	err := db.read(ctx).Where("id = ?", id).Take(&u).Error
	return &u, translate(err, "user")
}

// dummyHash returns a hash at the current BcryptCost, compared against for
// an unknown e-mail so that a login takes as long as for a wrong password
// and timing does not reveal which accounts exist.
func dummyHash() []byte {
	dummy.Lock()
	defer dummy.Unlock()
	if dummy.cost != BcryptCost {
		dummy.hash, _ = bcrypt.GenerateFromPassword([]byte("pdw-dummy-password"), BcryptCost)
		dummy.cost = BcryptCost
	}
	return dummy.hash
}

var dummy struct {
	sync.Mutex
	cost int
	hash []byte
}

// Authenticate checks an e-mail and password; EUNAUTHORIZED for any mismatch.
func (db *DB) Authenticate(ctx context.Context, email, password string) (*models.User, error) {
	bad := models.Errorf(models.EUNAUTHORIZED, "Wrong e-mail address or password.")
	u, err := db.FindUserByEmail(ctx, email)
	if err != nil {
		if models.ErrorCode(err) == models.ENOTFOUND {
			_ = bcrypt.CompareHashAndPassword(dummyHash(), []byte(password))
			return nil, bad
		}
		return nil, err
	}
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) != nil || u.Disabled {
		return nil, bad
	}
	now := db.now()
	u.LastLoginAt = &now
	if err := db.read(ctx).Model(u).Update("last_login_at", now).Error; err != nil {
		return nil, translate(err, "user")
	}
	return u, nil
}

// CreateSession starts a session for u and returns the cookie secret.
func (db *DB) CreateSession(ctx context.Context, u *models.User, ttl time.Duration) (string, error) {
	secret := Secret("pdws_")
	now := db.now()
	s := models.Session{ID: models.NewID(), UserID: u.ID, TokenHash: HashSecret(secret), ExpiresAt: now.Add(ttl)}
	ctx = models.WithActor(ctx, models.Actor{UserID: u.ID, Role: u.Role, MissionID: deref(u.MissionID), RequestID: models.ActorFrom(ctx).RequestID})
	err := db.tx(ctx, func(tx *gorm.DB) error {
		// Expired sessions of this user go at each login.
		if err := tx.Where("user_id = ? AND expires_at < ?", u.ID, now).Delete(&models.Session{}).Error; err != nil {
			return err
		}
		if err := tx.Create(&s).Error; err != nil {
			return err
		}
		return db.audit(ctx, tx, models.ActionLogin, "user", u.ID, "session")
	})
	return secret, translate(err, "session")
}

// DeleteSession ends the session with that cookie secret (no error if none).
func (db *DB) DeleteSession(ctx context.Context, secret string) error {
	defer db.auth.flush()
	return translate(db.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Where("token_hash = ?", HashSecret(secret)).Delete(&models.Session{})
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		a := models.ActorFrom(ctx)
		return db.audit(ctx, tx, models.ActionLogout, "user", a.UserID, "session")
	}), "session")
}

// UserBySession returns the user of a live session; EUNAUTHORIZED otherwise.
func (db *DB) UserBySession(ctx context.Context, secret string) (*models.User, error) {
	key, now := "s:"+HashSecret(secret), db.now()
	if u, ok := db.auth.get(key, now); ok {
		return u, nil
	}
	var s models.Session
	err := db.read(ctx).Where("token_hash = ?", HashSecret(secret)).Take(&s).Error
	if err != nil || !s.ExpiresAt.After(now) {
		if err != nil && !errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, translate(err, "session")
		}
		return nil, models.Errorf(models.EUNAUTHORIZED, "The session has ended; log in again.")
	}
	u, err := db.liveUser(ctx, s.UserID)
	if err != nil {
		return nil, err
	}
	db.auth.put(key, u, now, s.ExpiresAt)
	return u, nil
}

func (db *DB) liveUser(ctx context.Context, id string) (*models.User, error) {
	u, err := db.FindUserByID(ctx, id)
	if err != nil || u.Disabled {
		if err != nil && models.ErrorCode(err) != models.ENOTFOUND {
			return nil, err
		}
		return nil, models.Errorf(models.EUNAUTHORIZED, "The account is disabled or gone.")
	}
	return u, nil
}

// CreateAPIToken issues a personal token for u; the secret is returned once
// and only its hash is stored.
func (db *DB) CreateAPIToken(ctx context.Context, u *models.User, name string) (*models.APIToken, string, error) {
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 100 {
		return nil, "", &models.Error{Code: models.EINVALID, Message: "The token needs a name.",
			Fields: map[string]string{"name": "is required (at most 100 characters)"}}
	}
	secret := Secret("pdw_")
	t := &models.APIToken{ID: models.NewID(), UserID: u.ID, Name: name, TokenHash: HashSecret(secret)}
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Create(t).Error; err != nil {
			return err
		}
		return db.audit(ctx, tx, models.ActionCreate, "api_token", t.ID, "")
	})
	if err != nil {
		return nil, "", translate(err, "token")
	}
	return t, secret, nil
}

// DeleteAPIToken revokes a token: the actor's own, or any for an admin.
func (db *DB) DeleteAPIToken(ctx context.Context, id string) error {
	defer db.auth.flush()
	a := models.ActorFrom(ctx)
	return translate(db.tx(ctx, func(tx *gorm.DB) error {
		q := tx.Where("id = ?", id)
		if a.Role != models.RoleAdmin && a.Role != models.RoleSystem {
			q = q.Where("user_id = ?", a.UserID)
		}
		res := q.Delete(&models.APIToken{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return models.NotFound("token")
		}
		return db.audit(ctx, tx, models.ActionDelete, "api_token", id, "")
	}), "token")
}

// UserByToken returns the user of a bearer token; EUNAUTHORIZED otherwise.
// It notes the token's last use at most once a minute.
func (db *DB) UserByToken(ctx context.Context, secret string) (*models.User, error) {
	key := "t:" + HashSecret(secret)
	if u, ok := db.auth.get(key, db.now()); ok {
		return u, nil
	}
	var t models.APIToken
	err := db.read(ctx).Where("token_hash = ?", HashSecret(secret)).Take(&t).Error
	if err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, models.Errorf(models.EUNAUTHORIZED, "The token is not valid.")
		}
		return nil, translate(err, "token")
	}
	now := db.now()
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute {
		if err := db.read(ctx).Model(&t).UpdateColumn("last_used_at", now).Error; err != nil {
			return nil, translate(err, "token")
		}
	}
	u, err := db.liveUser(ctx, t.UserID)
	if err != nil {
		return nil, err
	}
	db.auth.put(key, u, now, time.Time{})
	return u, nil
}

// FindAPITokens lists the tokens of a user (never their secrets).
func (db *DB) FindAPITokens(ctx context.Context, userID string) ([]models.APIToken, error) {
	var out []models.APIToken
	err := db.read(ctx).Where("user_id = ?", userID).Order("id").Find(&out).Error
	return out, translate(err, "token")
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// FindUsers returns one page of accounts.
func (db *DB) FindUsers(ctx context.Context, p models.Page) ([]models.User, string, error) {
	out, next, err := page(db.read(ctx).Model(&models.User{}), p, func(u *models.User) string { return u.ID })
	return out, next, translate(err, "user")
}

// UpdateUser applies an administrator's change. Disabling an account ends
// its sessions at once (its API tokens stop working while it is disabled);
// nobody may disable their own account.
func (db *DB) UpdateUser(ctx context.Context, id string, upd models.UserUpdate) (*models.User, error) {
	defer db.auth.flush()
	if upd.Disabled != nil && *upd.Disabled && models.ActorFrom(ctx).UserID == id {
		return nil, models.Errorf(models.ECONFLICT, "You cannot disable your own account.")
	}
	var u models.User
	err := db.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Where("id = ?", id).Take(&u).Error; err != nil {
			return err
		}
		if upd.Disabled != nil {
			u.Disabled = *upd.Disabled
			if u.Disabled {
				if err := tx.Where("user_id = ?", id).Delete(&models.Session{}).Error; err != nil {
					return err
				}
			}
		}
		if err := tx.Save(&u).Error; err != nil {
			return err
		}
		return db.audit(ctx, tx, models.ActionUpdate, "user", id, strings.Join(upd.Fields(), ","))
	})
	return &u, translate(err, "user")
}
