package importer

import (
	"testing"

	"github.com/duban-org/duban/internal/extract"
)

func TestGuessYear(t *testing.T) {
	cases := []struct {
		name string
		text string
		want int
	}{
		{"plan only", "2023年是关键之年。\n\n今年要新建学校3所。", 2023},
		{"review then plan", "一、2022年工作回顾\n\n2022年，全区生产总值增长5%。2022年完成投资20亿元。2022年新建道路5公里。\n\n二、2023年工作安排\n\n2023年是全面贯彻落实党的二十大精神的开局之年。做好2023年工作，意义重大。", 2023},
		{"no year at all", "新建学校3所。\n\n改造道路5公里。", 2030},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := extract.Extract(c.text, extract.Options{})
			if got := guessYear(doc, 2030); got != c.want {
				t.Errorf("guessYear = %d, want %d (sections %+v)", got, c.want, doc.Sections)
			}
		})
	}
}
