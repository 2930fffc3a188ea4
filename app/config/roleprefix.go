package config

import (
	"fmt"
	"regexp"
	"strings"
)

// maxRolePrefix leaves a schema name of at least 33 characters whole in its
// role's name (PostgreSQL names stop at 63); longer ones are hashed.
const maxRolePrefix = 30

var rolePrefixPattern = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)

// validRolePrefix says what is wrong with tenancy.role_prefix, or "" if
// nothing is. The prefix starts a role name that is written unquoted in
// messages and by hand, so it keeps to lowercase identifier characters; pg_
// is reserved by PostgreSQL for its own roles.
func validRolePrefix(p string) string {
	switch {
	case p == "":
		return ""
	case len(p) > maxRolePrefix:
		return fmt.Sprintf("%q is longer than %d characters", p, maxRolePrefix)
	case !rolePrefixPattern.MatchString(p):
		return fmt.Sprintf("%q is not lowercase letters, digits and _ starting with a letter or _ (e.g. polls_staging_)", p)
	case strings.HasPrefix(p, "pg_"):
		return fmt.Sprintf("%q starts with pg_, which PostgreSQL reserves for its own roles", p)
	}
	return ""
}
