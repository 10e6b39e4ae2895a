package extract

import (
	"fmt"
	"io"
)

// WriteText prints a document for a person: the outline, then the targets and
// flags. (Placeholder: targets only.)
func WriteText(w io.Writer, d Document) error {
	for _, t := range d.Targets {
		if _, err := fmt.Fprintf(w, "%s\t%v %s\n", t.Text, t.Value, t.Unit); err != nil {
			return err
		}
	}
	return nil
}
