// Command pdw runs the PDW Registry: the HTTP service and its
// administration commands. Configuration comes from PDW_* environment
// variables (see config.go and README.md).
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/pdw-registry/pdw/models"
	"github.com/pdw-registry/pdw/models/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `pdw: the PDW Registry

Usage:
  pdw serve                                         run the HTTP service
  pdw migrate                                       apply database migrations
  pdw policy load --preset NAME | --file FILE       load a policy version
  pdw policy show-preset NAME                       print a preset as JSON (a template to edit)
  pdw user add --email E --role R [--mission ID]    create an account; password on stdin
  pdw token create --email E --name N               print a new API token for an account
  pdw seed-demo                                     fill the database with a believable demo
  pdw audit verify                                  check the audit trail's hash chain
  pdw contracts verify                              re-hash every stored contract PDF
  pdw jobs run JOB [--now RFC3339]                  run a scheduled job once, now or at a given time
                                                    (JOB: plan, sweep, notify, remind, retention)
  pdw keys rotate [--batch N]                       re-seal interviews and notes under PDW_DATA_KEY's first key

Configuration: PDW_* environment variables (README.md).
`

// exitError carries an exit status; its message is printed to stderr.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// env is what a command may use from its surroundings.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	log    *slog.Logger
	cfg    Config
}

// run executes one command and returns the process exit status.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		return 0
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		fmt.Fprintln(stderr, "pdw:", err)
		return 2
	}
	e := &env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr, cfg: cfg,
		log: slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel}))}
	ctx = models.WithActor(ctx, models.SystemActor("cli"))

	cmd, rest := args[0], args[1:]
	if (cmd == "policy" || cmd == "user" || cmd == "token" || cmd == "audit" || cmd == "contracts" || cmd == "jobs" || cmd == "keys") && len(rest) > 0 {
		cmd, rest = cmd+" "+rest[0], rest[1:]
	}
	commands := map[string]func(context.Context, *env, []string) error{
		"serve":              cmdServe,
		"migrate":            cmdMigrate,
		"policy load":        cmdPolicyLoad,
		"policy show-preset": cmdPolicyShowPreset,
		"user add":           cmdUserAdd,
		"token create":       cmdTokenCreate,
		"seed-demo":          cmdSeedDemo,
		"audit verify":       cmdAuditVerify,
		"contracts verify":   cmdContractsVerify,
		"jobs run":           cmdJobsRun,
		"keys rotate":        cmdKeysRotate,
	}
	fn, ok := commands[cmd]
	if !ok {
		fmt.Fprintf(stderr, "pdw: unknown command %q\n\n%s", strings.Join(args, " "), usage)
		return 2
	}
	if err := fn(ctx, e, rest); err != nil {
		var ee *exitError
		if errors.As(err, &ee) {
			fmt.Fprintln(stderr, "pdw:", ee.msg)
			return ee.code
		}
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(stderr, "pdw:", describe(err))
		return 1
	}
	return 0
}

// describe renders an error for a person at a terminal, with field errors.
func describe(err error) string {
	var me *models.Error
	if errors.As(err, &me) {
		return me.Error()
	}
	return err.Error()
}

// flags parses a command's flags, printing usage errors to stderr.
func flags(e *env, name string, args []string, define func(fs *flag.FlagSet)) error {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	define(fs)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &exitError{code: 2, msg: err.Error()}
	}
	if fs.NArg() > 0 {
		return &exitError{code: 2, msg: fmt.Sprintf("%s: unexpected arguments %q", name, fs.Args())}
	}
	return nil
}

// openDB opens the configured database for a command that uses the
// registry: it applies pending migrations when PDW_AUTO_MIGRATE is on (the
// default) and otherwise refuses an old schema.
func openDB(ctx context.Context, e *env) (*store.DB, error) {
	keys, err := dataKeys(e)
	if err != nil {
		return nil, err
	}
	db, err := store.Open(ctx, e.cfg.DatabaseURL, store.WithKeyring(keys))
	if err != nil {
		return nil, err
	}
	db.Calendar = e.cfg.Calendar
	if e.cfg.AutoMigrate {
		n, err := db.Migrate(ctx)
		if err != nil {
			db.Close()
			return nil, err
		}
		if n > 0 {
			e.log.Info("applied migrations", slog.Int("count", n), slog.String("database", db.Dialect()))
		}
	}
	if err := db.CheckSchema(ctx); err != nil {
		db.Close()
		return nil, &exitError{code: 1, msg: err.Error()}
	}
	return db, nil
}

// readPassword reads the first line of stdin.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	return strings.TrimRight(line, "\r\n"), nil
}
