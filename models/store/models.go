package store

import "github.com/pdw-registry/pdw/models"

// Models lists every type the store persists, one table each. The schema
// test checks each against the migrated schema.
var Models = []any{
	&models.Mission{}, &models.Employer{}, &models.Worker{}, &models.Employment{},
	&models.Policy{}, &models.User{}, &models.Session{}, &models.APIToken{}, &models.AuditEvent{},
	&models.ContractVersion{}, &models.ContractPDF{}, &models.ContractSignature{},
	&models.Appointment{}, &planQueue{}, &models.CalendarToken{}, &models.TimelineEvent{},
	&models.Sanction{}, &models.Evidence{}, &models.EvidenceFile{},
	&models.WorkerAccessCode{},
	&models.Case{}, &models.CaseAction{}, &models.Organisation{}, &models.Referral{},
	&interviewRow{}, &interviewIndicator{},
}
