package upload

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkPut stores 1 MiB uploads of the kinds whose checks read the
// whole file (text) or its zip directory (docx), and one that is checked by
// its first bytes only (PDF). Each iteration writes a different file.
func BenchmarkPut(b *testing.B) {
	const size = 1 << 20
	kinds := map[string][]byte{
		"pdf":       append([]byte(pdf), bytes.Repeat([]byte("0 0 0 RG\n"), size/9)...),
		"docx":      zipOf(b, map[string]string{"[Content_Types].xml": docxTypes, "word/document.xml": strings.Repeat("<w:p>进展</w:p>", size/20)}),
		"text-utf8": []byte("0000\n" + strings.Repeat("一季度完成新建道路3公里。\n", size/37)),
		"text-gb":   gb18030(b, "0000\n"+strings.Repeat("一季度完成新建道路3公里。\n", size/37)),
	}
	for name, data := range kinds {
		b.Run(name, func(b *testing.B) {
			s, err := NewStore(filepath.Join(b.TempDir(), "a"), 4<<20)
			if err != nil {
				b.Fatal(err)
			}
			ext := map[string]string{"pdf": ".pdf", "docx": ".docx", "text-utf8": ".txt", "text-gb": ".txt"}[name]
			buf := append([]byte(nil), data...)
			b.SetBytes(int64(len(buf)))
			b.ResetTimer()
			// Each file differs from the last in a few ASCII digits, so each
			// is stored anew (the docx is the same file again: the
			// deduplicating path).
			var digits []int
			switch name {
			case "pdf":
				digits = []int{len(pdf), len(pdf) + 2, len(pdf) + 4} // "0 0 0 RG"
			case "text-utf8", "text-gb":
				digits = []int{0, 1, 2, 3} // "0000\n"
			}
			for i := 0; b.Loop(); i++ {
				for j, at := range digits {
					buf[at] = byte('0' + i/pow10(j)%10)
				}
				if _, err := s.Put(context.Background(), "f"+ext, bytes.NewReader(buf)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func pow10(n int) int {
	p := 1
	for range n {
		p *= 10
	}
	return p
}
