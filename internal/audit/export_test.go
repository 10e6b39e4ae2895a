package audit

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestSpreadsheetSafe(t *testing.T) {
	for in, want := range map[string]string{
		"":              "",
		"liming":        "liming",
		"=1+1":          "'=1+1",
		"+86 351":       "'+86 351",
		"-2":            "'-2",
		"@SUM(A1)":      "'@SUM(A1)",
		"\t=cmd":        "'\t=cmd",
		"督查室管理员":        "督查室管理员",
		`{"name":"=x"}`: `{"name":"=x"}`,
		"plan.create":   "plan.create",
	} {
		if got := spreadsheetSafe(in); got != want {
			t.Errorf("spreadsheetSafe(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEncoderFormats(t *testing.T) {
	e := Event{ID: 1, At: time.Date(2021, 4, 12, 9, 30, 0, 123456789, time.UTC), Actor: Actor{UserID: 3, Name: "=evil", Remote: "10.0.0.9"},
		Action: "plan.create", Entity: "plan", EntityID: "1", After: json.RawMessage(`{"title":"工作要点"}`), PrevHash: Genesis}
	e.Hash = ComputeHash(e)

	var jl bytes.Buffer
	enc, err := NewEncoder(&jl, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := enc.Encode(e); err != nil || enc.Flush() != nil {
		t.Fatal(err)
	}
	var back Event
	if err := json.Unmarshal(jl.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if err := NewVerifier().Next(back); err != nil {
		t.Fatalf("a JSON line does not verify again: %v", err)
	}

	var c bytes.Buffer
	enc, _ = NewEncoder(&c, FormatCSV)
	enc.Encode(e)
	enc.Flush()
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(c.String(), bom))).ReadAll()
	if err != nil || len(rows) != 2 || rows[1][1] != "2021-04-12T09:30:00.123456Z" || rows[1][3] != "'=evil" || rows[1][11] != e.Hash {
		t.Fatalf("csv %q %v", rows, err)
	}

	if _, err := NewEncoder(&c, "xlsx"); err == nil {
		t.Fatal("accepted format xlsx")
	}
}
