package models

import "context"

// Actor is who is acting on the registry in a request or a command: it
// scopes what the data layer returns and is written into the audit trail.
type Actor struct {
	UserID string
	Role   string
	// MissionID binds a mission user to its one mission.
	MissionID string
	RequestID string
}

// RoleSystem is the role of the command line and of scheduled jobs.
const RoleSystem = "system"

// SystemActor is the actor of a command run on the server's own machine.
func SystemActor(name string) Actor { return Actor{UserID: name, Role: RoleSystem} }

type actorKey struct{}

// WithActor returns a context carrying a.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx; the zero Actor (no role, sees
// nothing scoped) when there is none.
func ActorFrom(ctx context.Context) Actor {
	a, _ := ctx.Value(actorKey{}).(Actor)
	return a
}

// SeesPersonalData reports whether the role may read a worker's or an
// employer's personal data at all.
func (a Actor) SeesPersonalData() bool {
	return a.Role == RoleAdmin || a.Role == RoleOfficer || a.Role == RoleMission || a.Role == RoleSystem
}

// SeesPrivateContact reports whether the role may read a worker's passport
// number, phone and e-mail (never the mission's focal point).
func (a Actor) SeesPrivateContact() bool {
	return a.Role == RoleAdmin || a.Role == RoleOfficer || a.Role == RoleSystem
}

// SeesOfficeNotes reports whether the role may read the office's own notes
// on appointments and interviews (never a mission, never an auditor).
func (a Actor) SeesOfficeNotes() bool {
	return a.Role == RoleAdmin || a.Role == RoleOfficer || a.Role == RoleSystem
}
