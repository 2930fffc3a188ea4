package admin

import "strings"

// The admin's URLs, Django's, written once: Mount registers them (relative
// to the group it is given, which sits at pathRoot) and every link, crumb
// and redirect is built from them.
const (
	pathRoot           = "/admin"
	pathIndex          = pathRoot + "/"
	pathLogin          = pathRoot + "/login/"
	pathLogout         = pathRoot + "/logout/"
	pathPasswordChange = pathRoot + "/password_change/"
	pathPasswordDone   = pathPasswordChange + "done/"

	pathPollsApp       = pathRoot + "/polls/"
	pathQuestions      = pathPollsApp + "question/"
	pathQuestionAdd    = pathQuestions + "add/"
	pathQuestion       = pathQuestions + ":id/"
	pathQuestionChange = pathQuestion + "change/"
	pathQuestionDelete = pathQuestion + "delete/"
	pathChoices        = pathPollsApp + "choice/"

	pathAuthApp    = pathRoot + "/auth/"
	pathUsers      = pathAuthApp + "user/"
	pathUserAdd    = pathUsers + "add/"
	pathUser       = pathUsers + ":id/"
	pathUserChange = pathUser + "change/"
	pathUserDelete = pathUser + "delete/"
)

// link fills an object's id into path.
func link(path string, id int64) string { return strings.Replace(path, ":id", itoa(id), 1) }

// rel is path within the group Mount registers on.
func rel(path string) string { return strings.TrimPrefix(path, pathRoot) }
