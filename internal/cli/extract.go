package cli

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/duban-org/duban/internal/extract"
)

func runExtract(e env, args []string) int {
	fs := newFlags(e, "extract", "FILE", "Print the draft structure of a plan document (txt, docx, html; UTF-8 or GB18030):\nsections, tasks, quantified targets, entities, suggested units and flags for review.")
	asJSON := fs.Bool("json", false, "print one JSON object (the interface described in the README)")
	unitsFile := fs.String("units", "", "keyword → unit table (JSON) to use instead of the built-in one")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitUsage
	}
	opt, err := extractOptions(*unitsFile)
	if err != nil {
		return fail(e, err)
	}
	name := fs.Arg(0)
	data, err := readInput(name)
	if err != nil {
		return fail(e, err)
	}
	doc, err := extract.File(name, data, opt)
	if err != nil {
		return fail(e, err)
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(doc); err != nil {
			return fail(e, err)
		}
		return exitOK
	}
	if err := extract.WriteText(e.stdout, doc); err != nil {
		return fail(e, fmt.Errorf("writing: %w", err))
	}
	return exitOK
}

func extractOptions(unitsFile string) (extract.Options, error) {
	var opt extract.Options
	if unitsFile == "" {
		return opt, nil
	}
	f, err := os.Open(unitsFile)
	if err != nil {
		return opt, err
	}
	defer f.Close()
	t, err := extract.LoadUnitTable(f)
	if err != nil {
		return opt, fmt.Errorf("%s: %w", unitsFile, err)
	}
	opt.Units = t
	return opt, nil
}
