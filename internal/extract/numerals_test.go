package extract

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestReadNumeral(t *testing.T) {
	cases := []struct {
		in      string
		value   float64
		length  int // runes read
		chinese bool
		bare    bool
		ok      bool
	}{
		{"8.5%", 8.5, 3, false, false, true},
		{"1664个", 1664, 4, false, false, true},
		{"1.02万人", 10200, 5, false, false, true},
		{"1.6万人", 16000, 4, false, false, true},
		{"3千户", 3000, 2, false, false, true},
		{"3千米", 3, 1, false, false, true},       // 千米 is a unit, not a magnitude
		{"5千瓦", 5, 1, false, false, true},       // 千瓦 too
		{"1.3个百分点", 1.3, 3, false, false, true}, // 个 stops the number
		{"2千万元", 2e7, 3, false, false, true},
		{"1.2万亿元", 1.2e12, 5, false, false, true},
		{"1,664个", 1664, 5, false, false, true},
		{"12,5", 12, 2, false, false, true}, // a comma before two digits is a clause comma
		{"１６６４个", 1664, 4, false, false, true},
		{"3．5亩", 3.5, 3, false, false, true},
		{"1.城市", 1, 1, false, false, true}, // a list number, not a decimal
		{"两个", 2, 1, true, false, true},
		{"五处", 5, 1, true, false, true},
		{"十二个", 12, 2, true, false, true},
		{"二十个", 20, 2, true, false, true},
		{"一百二十所", 120, 4, true, false, true},
		{"两百人", 200, 2, true, false, true},
		{"三千亩", 3000, 2, true, false, true},
		{"三万五千人", 35000, 4, true, false, true},
		{"二〇二二年", 2022, 4, true, false, true},
		{"二○二二年", 2022, 4, true, false, true},
		{"十", 10, 1, true, false, true},
		{"三千米", 3, 1, true, false, true},
		{"百亿元", 1e10, 2, true, true, true}, // only magnitudes: a class
		{"千项", 1000, 1, true, true, true},
		{"三四个", 0, 0, true, false, false}, // two digits in a row: an estimate, not a number
		{"个", 0, 0, false, false, false},
		{"", 0, 0, false, false, false},
	}
	for _, c := range cases {
		rs := []rune(c.in)
		n, ok := readNumeral(rs, 0)
		if ok != c.ok {
			t.Errorf("%q: ok %v, want %v", c.in, ok, c.ok)
			continue
		}
		if !ok {
			continue
		}
		if n.value != c.value || n.end-n.start != c.length || n.chinese != c.chinese || n.bare != c.bare {
			t.Errorf("%q: got value %v length %d chinese %v bare %v, want %v %d %v %v",
				c.in, n.value, n.end-n.start, n.chinese, n.bare, c.value, c.length, c.chinese, c.bare)
		}
	}
}

// TestNumeralValuesAreExactDecimals pins values whose decimal digits have
// no exact binary form: each must equal the float64 of its own literal, so
// that JSON shows 6.65, not 6.6499999999999995.
func TestNumeralValuesAreExactDecimals(t *testing.T) {
	cases := []struct {
		in   string
		want string // shortest decimal form expected
	}{
		{"6.65公里", "6.65"},
		{"0.1%", "0.1"},
		{"0.7个百分点", "0.7"},
		{"6.65万人", "66500"},
		{"1.02万人", "10200"},
		{"3.3亿元", "330000000"},
		{"0.07亿元", "7000000"},
		{"1.1万亿元", "1100000000000"},
		{"1,664个", "1664"},
		{"12,345.67万元", "123456700"},
		{"4.35千万元", "43500000"},
		{"０．３亩", "0.3"},
	}
	for _, c := range cases {
		n, ok := readNumeral([]rune(c.in), 0)
		if !ok {
			t.Errorf("%q: not read", c.in)
			continue
		}
		if got := strconv.FormatFloat(n.value, 'f', -1, 64); got != c.want {
			t.Errorf("%q: value %s, want %s", c.in, got, c.want)
		}
	}
}

// TestUnscaleKeepsShortestDecimal checks the division that puts a
// magnitude back into the unit (3.3亿 → 3.3 亿元) leaves no remainder.
func TestUnscaleKeepsShortestDecimal(t *testing.T) {
	cases := []struct {
		v    float64
		mag  string
		want string
	}{
		{3.3e8, "亿", "3.3"},
		{66500, "万", "6.65"},
		{10200, "万", "1.02"},
		{1.7e8, "亿", "1.7"},
		{7e6, "亿", "0.07"},
	}
	for _, c := range cases {
		if got := strconv.FormatFloat(unscale(c.v, c.mag), 'f', -1, 64); got != c.want {
			t.Errorf("unscale(%v, %s) = %s, want %s", c.v, c.mag, got, c.want)
		}
	}
}

func TestMeasureAt(t *testing.T) {
	cases := []struct{ in, unit string }{
		{"个百分点", "个百分点"},
		{"个", "个"},
		{"万平方米", ""}, // the magnitude is read with the number
		{"平方米以上", "平方米"},
		{"平方公里", "平方公里"},
		{"人次", "人次"},
		{"人", "人"},
		{"％", "％"},
		{"微克/立方米", "微克/立方米"},
		{"年", ""},
		{"岁", ""},
		{"号线", ""},
	}
	for _, c := range cases {
		rs := []rune(c.in)
		if got := measureAt(rs, 0, len(rs)); got != c.unit {
			t.Errorf("%q: unit %q, want %q", c.in, got, c.unit)
		}
	}
}

func FuzzNumerals(f *testing.F) {
	for _, s := range []string{"1.02万人", "二〇二二年", "三万五千", "1,664个", "３．５", "一百二十所", "百亿元", "9.", "1,2,3", "十十十", "亿万", "6.65公里", "0.1%"} {
		f.Add(s, 0)
	}
	f.Fuzz(func(t *testing.T, s string, i int) {
		if !utf8.ValidString(s) {
			return
		}
		rs := []rune(s)
		if len(rs) == 0 {
			return
		}
		if i < 0 {
			i = -i
		}
		i %= len(rs)
		n, ok := readNumeral(rs, i)
		if !ok {
			return
		}
		if n.start != i || n.end <= n.start || n.end > len(rs) {
			t.Fatalf("%q at %d: bad extent %d..%d", s, i, n.start, n.end)
		}
		if n.value < 0 {
			t.Fatalf("%q at %d: negative value %v", s, i, n.value)
		}
		if u := measureAt(rs, n.end, len(rs)); n.end+utf8.RuneCountInString(u) > len(rs) {
			t.Fatalf("%q: unit %q runs past the text", s, u)
		}
		// An ASCII literal with no magnitude after it must read as exactly
		// the float64 strconv gives its digits: no binary noise.
		if lit := string(rs[n.start:n.end]); !n.chinese && strings.Trim(lit, "0123456789.") == "" && strings.Count(lit, ".") <= 1 {
			want, err := strconv.ParseFloat(lit, 64)
			if err == nil && n.value != want {
				t.Fatalf("%q: value %v, strconv reads %v", lit, n.value, want)
			}
		}
	})
}

// TestRuneSetsHoldTheirMaps checks that the rune sets used as quick tests
// agree with the maps they stand for; a rune beyond the Basic Multilingual
// Plane would fall out of them.
func TestRuneSetsHoldTheirMaps(t *testing.T) {
	for r := range traditionalFold {
		if !traditionalRunes.has(r) {
			t.Errorf("traditional %q missing from its rune set", r)
		}
	}
	for _, m := range []map[rune]int{chineseDigit} {
		for r := range m {
			if !isChineseNumeral(r) {
				t.Errorf("digit %q is no numeral", r)
			}
		}
	}
	for r := range chineseMagnitude {
		if !isChineseNumeral(r) {
			t.Errorf("magnitude %q is no numeral", r)
		}
	}
	for _, r := range "年个A1。𠀀" {
		if isChineseNumeral(r) || traditionalRunes.has(r) {
			t.Errorf("%q is in a rune set", r)
		}
	}
}
