package admin

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"polls/app/webctx"
	"polls/models"
)

// maxText is the length of question_text and choice_text (varchar(200)).
const maxText = 200

// maxChoiceRows is how many inline choice rows one form may post: Django's
// formset max_num default (DEFAULT_MAX_NUM). A form with more is refused
// whole, its rows neither read nor saved, with Django's message; reading
// and saving thousands of rows kept a request busy for over a second.
const maxChoiceRows = 1000

// msgTooManyChoiceRows is Django's formset message for too many forms.
const msgTooManyChoiceRows = "Please submit at most %d forms."

// choiceRow is one inline choice of the question form.
type choiceRow struct {
	ID     int64 // 0 for a new row
	Text   string
	Votes  int64
	Delete bool
	Errors []string
}

// questionInput is a posted question form, read and checked.
type questionInput struct {
	text, pubDate string // as posted, to show again
	question      models.Question
	edits         models.ChoiceEdits
	rows          []choiceRow
	errs          fieldErrors
	rowErrors     int
}

func (in questionInput) errorCount() int { return in.errs.count() + in.rowErrors }

// errForeignChoice is a form naming a choice of another question: not
// something the admin's own pages send.
var errForeignChoice = echo.NewHTTPError(http.StatusBadRequest, "The form names a choice that is not one of this question’s.")

// readQuestionForm checks a posted question and its inline choices against
// the question's current choices (none when adding). Rows pair up by
// position: choice_id[i] (absent or blank for a new row) with choice_text[i];
// choice_delete lists the ids to delete. Blank new rows are ignored, as
// Django ignores untouched extra forms. Past maxChoiceRows rows the form gets
// an error under "choices" and shows q's choices as they are.
func readQuestionForm(form url.Values, q models.Question) (questionInput, error) {
	in := questionInput{text: form.Get("question_text"), pubDate: form.Get("pub_date"), errs: fieldErrors{}}
	in.question = models.Question{ID: q.ID}
	in.question.QuestionText = requiredText(in.errs, "question_text", in.text, maxText)
	if q.ID != 0 && strings.TrimSpace(in.pubDate) == dateTimeValue(q.PubDate) {
		in.question.PubDate = q.PubDate // unchanged: keep the seconds the form does not show
	} else {
		in.question.PubDate = parseDateTime(in.errs, "pub_date", in.pubDate)
	}

	if max(len(form["choice_text"]), len(form["choice_id"]), len(form["choice_delete"])) > maxChoiceRows {
		in.errs.add("choices", fmt.Sprintf(msgTooManyChoiceRows, maxChoiceRows))
		for _, ch := range q.Choices {
			in.rows = append(in.rows, choiceRow{ID: ch.ID, Text: ch.ChoiceText, Votes: ch.Votes})
		}
		in.rows = blankRows(in.rows)
		return in, nil
	}

	existing := map[int64]models.Choice{}
	for _, ch := range q.Choices {
		existing[ch.ID] = ch
	}
	deleted := map[int64]bool{}
	for _, id := range parseIDs(form["choice_delete"]) {
		deleted[id] = true
	}
	ids := form["choice_id"]
	in.edits.Rename = map[int64]string{}
	for i, raw := range form["choice_text"] {
		r := choiceRow{Text: strings.TrimSpace(raw)}
		if i < len(ids) && strings.TrimSpace(ids[i]) != "" {
			id, valid := webctx.ParseID(strings.TrimSpace(ids[i]))
			ch, ok := existing[id]
			if !valid || !ok {
				return in, errForeignChoice
			}
			r.ID, r.Votes, r.Delete = id, ch.Votes, deleted[id]
		}
		switch {
		case r.Delete:
			in.edits.Delete = append(in.edits.Delete, r.ID)
		case textProblem(r.Text) != "":
			r.Errors = append(r.Errors, textProblem(r.Text))
		case r.Text == "" && r.ID == 0:
		case r.Text == "":
			r.Errors = append(r.Errors, msgRequired)
		case utf8.RuneCountInString(r.Text) > maxText:
			r.Errors = append(r.Errors, fmt.Sprintf(msgMaxLength, maxText, utf8.RuneCountInString(r.Text)))
		case r.ID == 0:
			in.edits.Add = append(in.edits.Add, r.Text)
		case r.Text != existing[r.ID].ChoiceText:
			in.edits.Rename[r.ID] = r.Text
		}
		in.rowErrors += len(r.Errors)
		in.rows = append(in.rows, r)
	}
	return in, nil
}

// changeMessage describes a change for the admin log, as Django words it.
func changeMessage(old models.Question, in questionInput) string {
	var parts []string
	var fields []string
	if old.QuestionText != in.question.QuestionText {
		fields = append(fields, "question text")
	}
	if !old.PubDate.Equal(in.question.PubDate) {
		fields = append(fields, "date published")
	}
	if len(fields) > 0 {
		parts = append(parts, "Changed "+strings.Join(fields, " and ")+".")
	}
	for _, t := range in.edits.Add {
		parts = append(parts, "Added choice "+quoted(t)+".")
	}
	for _, ch := range old.Choices {
		if t, ok := in.edits.Rename[ch.ID]; ok {
			parts = append(parts, "Changed choice text for choice "+quoted(t)+".")
		}
	}
	for _, ch := range old.Choices {
		for _, id := range in.edits.Delete {
			if id == ch.ID {
				parts = append(parts, "Deleted choice "+quoted(ch.ChoiceText)+".")
			}
		}
	}
	if len(parts) == 0 {
		return "No fields changed."
	}
	return strings.Join(parts, " ")
}
