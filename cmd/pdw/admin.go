package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store"
)

// cmdMigrate applies pending migrations.
func cmdMigrate(ctx context.Context, e *env, args []string) error {
	if err := flags(e, "migrate", args, func(*flag.FlagSet) {}); err != nil {
		return err
	}
	db, err := store.Open(ctx, e.cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "applied %d migration(s); the %s schema is current\n", n, db.Dialect())
	return nil
}

// cmdPolicyLoad loads a policy version from a preset or a JSON file.
func cmdPolicyLoad(ctx context.Context, e *env, args []string) error {
	var preset, file, effective string
	if err := flags(e, "policy load", args, func(fs *flag.FlagSet) {
		fs.StringVar(&preset, "preset", "", "preset name: "+strings.Join(models.PresetNames(), ", "))
		fs.StringVar(&file, "file", "", "a policy JSON file (see pdw policy show-preset)")
		fs.StringVar(&effective, "effective-from", "", "override the effective date (YYYY-MM-DD)")
	}); err != nil {
		return err
	}
	var in models.PolicyInput
	switch {
	case preset != "" && file == "":
		p, err := models.Preset(preset)
		if err != nil {
			return &exitError{code: 2, msg: fmt.Sprintf("unknown preset %q (known: %s)", preset, strings.Join(models.PresetNames(), ", "))}
		}
		in = p
	case file != "" && preset == "":
		b, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&in); err != nil {
			return &exitError{code: 2, msg: fmt.Sprintf("%s: %v", file, err)}
		}
	default:
		return &exitError{code: 2, msg: "policy load: give exactly one of --preset or --file"}
	}
	if effective != "" {
		d, err := models.ParseDate(effective)
		if err != nil {
			return &exitError{code: 2, msg: "--effective-from " + err.Error()}
		}
		in.EffectiveFrom = &d
	}
	p, err := in.Policy()
	if err != nil {
		if preset == "generic" {
			return &exitError{code: 1, msg: "the generic preset has no figures: run `pdw policy show-preset generic > policy.json`, " +
				"fill in every figure and its legal reference, then `pdw policy load --file policy.json`.\n" + describe(err)}
		}
		return err
	}
	db, err := openDB(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.CreatePolicy(ctx, p); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "loaded policy %s as version %d (id %s), effective from %s\n", p.Name, p.Version, p.ID, p.EffectiveFrom)
	return nil
}

// cmdPolicyShowPreset prints a preset as an editable JSON policy.
func cmdPolicyShowPreset(ctx context.Context, e *env, args []string) error {
	if len(args) != 1 {
		return &exitError{code: 2, msg: "policy show-preset NAME (known: " + strings.Join(models.PresetNames(), ", ") + ")"}
	}
	p, err := models.Preset(args[0])
	if err != nil {
		return &exitError{code: 2, msg: err.Error()}
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(p)
}

// cmdUserAdd creates an account; the password is the first line of stdin.
func cmdUserAdd(ctx context.Context, e *env, args []string) error {
	var email, role, mission string
	if err := flags(e, "user add", args, func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "the account's e-mail address")
		fs.StringVar(&role, "role", "", "admin, officer, mission or auditor")
		fs.StringVar(&mission, "mission", "", "the mission id (role mission only)")
	}); err != nil {
		return err
	}
	password, err := readPassword(e.stdin)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	u := &models.User{Email: email, Role: role}
	if mission != "" {
		u.MissionID = &mission
	}
	if err := db.CreateUser(ctx, u, password); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "created %s account %s (id %s)\n", u.Role, u.Email, u.ID)
	return nil
}

// cmdTokenCreate prints a new personal API token for an account.
func cmdTokenCreate(ctx context.Context, e *env, args []string) error {
	var email, name string
	if err := flags(e, "token create", args, func(fs *flag.FlagSet) {
		fs.StringVar(&email, "email", "", "the account's e-mail address")
		fs.StringVar(&name, "name", "", "what the token is for")
	}); err != nil {
		return err
	}
	db, err := openDB(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	u, err := db.FindUserByEmail(ctx, email)
	if err != nil {
		return err
	}
	_, secret, err := db.CreateAPIToken(ctx, u, name)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, secret)
	return nil
}

// cmdAuditVerify checks the audit trail's hash chain: exit 0 when intact,
// 1 naming the first broken row.
func cmdAuditVerify(ctx context.Context, e *env, args []string) error {
	if err := flags(e, "audit verify", args, func(*flag.FlagSet) {}); err != nil {
		return err
	}
	db, err := store.Open(ctx, e.cfg.DatabaseURL)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.CheckSchema(ctx); err != nil {
		return err
	}
	brk, n, head, err := db.VerifyAudit(ctx)
	if err != nil {
		return err
	}
	if brk != nil {
		return &exitError{code: 1, msg: "audit trail broken at " + brk.String()}
	}
	fmt.Fprintf(e.stdout, "audit trail intact: %d event(s), head hash %s\n", n, head)
	return nil
}

// cmdContractsVerify re-hashes every stored contract PDF: exit 0 when each
// matches the SHA-256 recorded at generation, 1 naming each that does not.
func cmdContractsVerify(ctx context.Context, e *env, args []string) error {
	if err := flags(e, "contracts verify", args, func(*flag.FlagSet) {}); err != nil {
		return err
	}
	db, err := openDB(ctx, e)
	if err != nil {
		return err
	}
	defer db.Close()
	bad, n, err := db.VerifyContracts(ctx)
	if err != nil {
		return err
	}
	for _, b := range bad {
		fmt.Fprintf(e.stderr, "contract %s (version %d): stored bytes hash to %s, recorded %s\n", b.ContractID, b.Version, b.Actual, b.Stored)
	}
	if len(bad) > 0 {
		return &exitError{code: 1, msg: fmt.Sprintf("%d of %d stored contract(s) changed since they were generated", len(bad), n)}
	}
	fmt.Fprintf(e.stdout, "all %d stored contract(s) match their recorded SHA-256\n", n)
	return nil
}
