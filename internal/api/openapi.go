package api

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
)

// The OpenAPI description is kept as one fragment per route group
// (openapi/NAME.json, each with "paths" and "components"), merged into one
// document when the package loads, so that each group documents itself
// beside its handlers. 00-base.json holds the info and shared components.
//
//go:embed openapi/*.json
var openAPIFragments embed.FS

// openAPIDoc is the merged document served at /api/openapi.json.
var openAPIDoc = mustMergeOpenAPI(openAPIFragments)

type openAPIFragment struct {
	OpenAPI    string                    `json:"openapi,omitempty"`
	Info       json.RawMessage           `json:"info,omitempty"`
	Paths      map[string]map[string]any `json:"paths"`
	Components map[string]map[string]any `json:"components,omitempty"`
}

func mustMergeOpenAPI(fsys fs.FS) []byte {
	b, err := mergeOpenAPI(fsys)
	if err != nil {
		panic(err) // the fragments are embedded: a bad one fails every test at once
	}
	return b
}

func mergeOpenAPI(fsys fs.FS) ([]byte, error) {
	names, err := fs.Glob(fsys, "openapi/*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	doc := openAPIFragment{Paths: map[string]map[string]any{}, Components: map[string]map[string]any{}}
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		var f openAPIFragment
		if err := json.Unmarshal(data, &f); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if f.OpenAPI != "" {
			doc.OpenAPI, doc.Info = f.OpenAPI, f.Info
		}
		for path, ops := range f.Paths {
			if doc.Paths[path] == nil {
				doc.Paths[path] = map[string]any{}
			}
			for method, op := range ops {
				if _, dup := doc.Paths[path][method]; dup {
					return nil, fmt.Errorf("%s: %s %s is described twice", name, method, path)
				}
				doc.Paths[path][method] = op
			}
		}
		for kind, items := range f.Components {
			if doc.Components[kind] == nil {
				doc.Components[kind] = map[string]any{}
			}
			for k, v := range items {
				if _, dup := doc.Components[kind][k]; dup {
					return nil, fmt.Errorf("%s: component %s/%s is defined twice", name, kind, k)
				}
				doc.Components[kind][k] = v
			}
		}
	}
	return json.MarshalIndent(doc, "", "  ")
}
