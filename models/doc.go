// Package models holds the data types and their queries. Shared models (Tenant,
// Domain) live in the public schema and name it; tenant models (Question, Choice,
// User, ...) never name a schema: they are always used through a *gorm.DB that is
// already scoped to one tenant's schema.
package models
