package main

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"polls/bench/load"
)

// csrfCookie is the token every request carries, as a returning visitor's
// browser would: the vote form's double-submit check needs it, and it spares
// both servers minting a token per page view.
const csrfCookie = "bEnChMaRkToKeNbEnChMaRkToKeNbEnChMaRkToKeN0"

// page is one page of the polls app and the requests that exercise it.
type page struct {
	name     string
	requests []load.Request
}

// buildPages spreads every page's requests over hosts; detail, results and
// vote also cycle over the hot questions.
func buildPages(hosts []benchTenant) []page {
	var index, detail, results, vote []load.Request
	for q := 1; q <= hotQuestions; q++ {
		for _, h := range hosts {
			base := load.Request{Method: http.MethodGet, Host: h.domain, Cookie: "csrftoken=" + csrfCookie, Want: http.StatusOK}
			if q == 1 {
				r := base
				r.Path = "/polls/"
				index = append(index, r)
			}
			d := base
			d.Path = "/polls/" + strconv.Itoa(q) + "/"
			detail = append(detail, d)
			rs := base
			rs.Path = d.Path + "results/"
			results = append(results, rs)
			v := base
			v.Method, v.Path, v.Want = http.MethodPost, d.Path+"vote/", http.StatusSeeOther
			v.Form = url.Values{"choice": {strconv.Itoa((q-1)*choicesPerQuestion + 1)}, "csrfmiddlewaretoken": {csrfCookie}}
			vote = append(vote, v)
		}
	}
	return []page{{"index", index}, {"detail", detail}, {"results", results}, {"vote", vote}}
}

func selectPages(all []page, names string) []page {
	var out []page
	for _, p := range all {
		for _, n := range strings.Split(names, ",") {
			if strings.TrimSpace(n) == p.name {
				out = append(out, p)
			}
		}
	}
	return out
}

// noRedirects is a client that reports a redirect instead of following it.
var noRedirects = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// sendOne sends r to addr and checks the status.
func sendOne(addr string, r load.Request) error {
	var body io.Reader
	if r.Form != nil {
		body = strings.NewReader(r.Form.Encode())
	}
	req, err := http.NewRequest(r.Method, "http://"+addr+r.Path, body)
	if err != nil {
		return err
	}
	req.Host = r.Host
	if r.Cookie != "" {
		req.Header.Set("Cookie", r.Cookie)
	}
	if r.Form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := noRedirects.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != r.Want {
		return fmt.Errorf("%s http://%s%s: status %d, want %d", r.Method, r.Host, r.Path, resp.StatusCode, r.Want)
	}
	return nil
}
