package cli

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// confirm prints question and reads answers until one is yes or no, as
// django-tenants asks before deleting; end of input counts as no.
func confirm(in io.Reader, out io.Writer, question string) bool {
	fmt.Fprint(out, question)
	r := bufio.NewReader(in)
	for {
		line, err := r.ReadString('\n')
		switch strings.ToLower(strings.TrimSpace(line)) {
		case "yes":
			return true
		case "no":
			return false
		}
		if err != nil {
			fmt.Fprintln(out)
			return false
		}
		fmt.Fprint(out, "Please answer yes or no: ")
	}
}
