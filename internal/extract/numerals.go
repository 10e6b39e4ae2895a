package extract

import (
	"math"
	"sort"
	"strconv"
	"unicode/utf8"
)

// Numbers in plan text come in three shapes: Arabic digits (ASCII or
// full-width, with an optional decimal part and thousands separators),
// Chinese numerals (一 … 十, 两, 百 千 万 亿, 〇/零), and a mix of the two
// (1.6万, 3千). The functions here read one number at a rune position and
// say where it ends; deciding whether the number is a target is the target
// pass's job.

// numeral is one number read from text.
type numeral struct {
	value   float64
	start   int  // rune index of the first rune
	end     int  // rune index after the last rune, magnitude included
	chinese bool // written wholly in Chinese numerals
	bare    bool // only magnitude characters (百, 千亿): a class, not an amount
	grouped bool // used thousands separators
}

// digitValue returns the value of an ASCII or full-width digit.
func digitValue(r rune) (int, bool) {
	switch {
	case r >= '0' && r <= '9':
		return int(r - '0'), true
	case r >= '０' && r <= '９':
		return int(r - '０'), true
	}
	return 0, false
}

func isDigit(r rune) bool { _, ok := digitValue(r); return ok }

// chineseDigit maps the Chinese digit characters to their values.
var chineseDigit = map[rune]int{
	'〇': 0, '○': 0, '零': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4,
	'五': 5, '六': 6, '七': 7, '八': 8, '九': 9,
}

// chineseMagnitude maps the magnitude characters to their factors. 十, 百
// and 千 scale inside a section; 万 and 亿 close a section.
var chineseMagnitude = map[rune]float64{'十': 10, '百': 100, '千': 1000, '万': 1e4, '亿': 1e8}

func isChineseNumeral(r rune) bool { return chineseNumeralRunes.has(r) }

// chineseNumeralRunes are the keys of chineseDigit and chineseMagnitude, so
// that the test, made for every rune of a clause, needs no map lookup.
var chineseNumeralRunes = func() *runeBits {
	b := new(runeBits)
	for r := range chineseDigit {
		b.add(r)
	}
	for r := range chineseMagnitude {
		b.add(r)
	}
	return b
}()

// parseArabic reads an Arabic number at rs[i]: digits, an optional decimal
// part and an optional trailing Chinese magnitude (万, 亿, 千万 …) when the
// magnitude is not the start of a unit such as 千米 or 百分点.
func parseArabic(rs []rune, i int) (numeral, bool) {
	n := numeral{start: i}
	j := i
	// The digits are gathered as a decimal literal and read once by
	// strconv: summing d×0.1×0.1… leaves binary noise (6.65 → 6.6499…).
	var lit []byte
	for j < len(rs) {
		d, ok := digitValue(rs[j])
		if ok {
			lit = append(lit, byte('0'+d))
			j++
			continue
		}
		// A thousands separator is a comma followed by exactly three digits.
		if rs[j] == ',' && j > i && threeDigits(rs, j+1) {
			n.grouped = true
			j++
			continue
		}
		break
	}
	if j == i {
		return n, false
	}
	if j+1 < len(rs) && (rs[j] == '.' || rs[j] == '．') && isDigit(rs[j+1]) {
		lit = append(lit, '.')
		j++
		for j < len(rs) {
			d, ok := digitValue(rs[j])
			if !ok {
				break
			}
			lit = append(lit, byte('0'+d))
			j++
		}
	}
	// lit holds only digits and at most one point, so the one error
	// possible is ErrRange, whose ±Inf is what summing would give as well.
	v, _ := strconv.ParseFloat(string(lit), 64)
	n.value = v
	n.end = j
	n.value, n.end = applyMagnitude(rs, n.value, n.end)
	return n, true
}

// shortestDecimal rounds away the binary remainder a product or quotient of
// decimal values leaves (6.65×1e4 may come out as 66500.00000000001), by
// reading the value back from its 15 significant digits: no plan writes a
// number with more, and 15 digits survive a float64 exactly.
func shortestDecimal(v float64) float64 {
	if math.IsInf(v, 0) || math.IsNaN(v) || v == 0 {
		return v
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 15, 64), 64)
	if err != nil {
		return v
	}
	return r
}

// threeDigits reports whether rs[k:k+3] are digits and rs[k+3] is not one.
func threeDigits(rs []rune, k int) bool {
	if k+3 > len(rs) {
		return false
	}
	for m := k; m < k+3; m++ {
		if !isDigit(rs[m]) {
			return false
		}
	}
	return k+3 == len(rs) || !isDigit(rs[k+3])
}

// applyMagnitude folds the magnitude characters that follow a number into
// its value (1.6万 → 16000, 2千万 → 2e7). A magnitude that begins a unit
// (千米, 千瓦, 百分点, 千克) is left to the unit.
func applyMagnitude(rs []rune, v float64, j int) (float64, int) {
	for j < len(rs) {
		m, ok := chineseMagnitude[rs[j]]
		if !ok || rs[j] == '十' {
			break
		}
		if unitStartsAt(rs, j) {
			break
		}
		v = shortestDecimal(v * m)
		j++
	}
	return v, j
}

// unitStartsAt reports whether a unit word that itself begins with a
// magnitude character starts at rs[j].
func unitStartsAt(rs []rune, j int) bool {
	for _, u := range magnitudeUnits {
		if hasPrefixAt(rs, j, u) {
			return true
		}
	}
	return false
}

// magnitudeUnits are units spelled with a leading magnitude character.
var magnitudeUnits = []string{"千米", "千克", "千瓦", "千伏", "千帕", "百分点", "百分比", "万分之", "千分之", "百分之"}

// hasPrefixAt reports whether rs[j:] starts with s.
func hasPrefixAt(rs []rune, j int, s string) bool {
	k := j
	for _, r := range s {
		if k >= len(rs) || rs[k] != r {
			return false
		}
		k++
	}
	return true
}

// parseChinese reads a Chinese numeral at rs[i]: 三, 十二, 两百, 一千二百,
// 三万五千, 二〇二二 (read digit by digit). It reads no further than a
// numeral would go.
func parseChinese(rs []rune, i int) (numeral, bool) {
	n := numeral{start: i, chinese: true}
	j := i
	for j < len(rs) && isChineseNumeral(rs[j]) {
		j++
	}
	if j == i {
		return n, false
	}
	// Do not swallow a magnitude that begins a unit: 三千米 is 3 千米.
	for k := i + 1; k < j; k++ {
		if unitStartsAt(rs, k) {
			j = k
			break
		}
	}
	word := rs[i:j]
	v, ok := chineseValue(word)
	if !ok {
		return n, false
	}
	n.value = v
	n.end = j
	n.bare = true
	for _, r := range word {
		if _, d := chineseDigit[r]; d || r == '十' {
			n.bare = false
			break
		}
	}
	return n, true
}

// chineseValue evaluates a run of Chinese numeral characters.
func chineseValue(word []rune) (float64, bool) {
	if len(word) == 0 {
		return 0, false
	}
	// A run of digits with no magnitude is read positionally when it is a
	// year (二〇二二, 一九九八); two digits side by side (三四个, 五六家)
	// are an estimate, not a number.
	zero := false
	positional := len(word) > 1
	for _, r := range word {
		if _, m := chineseMagnitude[r]; m {
			positional = false
			break
		}
		if chineseDigit[r] == 0 {
			zero = true
		}
	}
	if positional && len(word) < 4 && !zero {
		return 0, false
	}
	if positional {
		var v float64
		for _, r := range word {
			v = v*10 + float64(chineseDigit[r])
		}
		return v, true
	}
	var total, section, digit float64
	hasDigit := false
	for _, r := range word {
		if d, ok := chineseDigit[r]; ok {
			if hasDigit && d != 0 && digit != 0 {
				return 0, false // two digits in a row: 三四 is not a number
			}
			digit = float64(d)
			hasDigit = true
			continue
		}
		m := chineseMagnitude[r]
		switch {
		case m >= 1e4:
			section += digit
			if section == 0 {
				section = 1
			}
			if m == 1e8 {
				total = (total + section) * m
			} else {
				total += section * m
			}
			section, digit, hasDigit = 0, 0, false
		default:
			if !hasDigit || digit == 0 {
				digit = 1 // 十二, 百 alone
			}
			section += digit * m
			digit, hasDigit = 0, false
		}
	}
	return total + section + digit, true
}

// readNumeral reads an Arabic, Chinese or mixed number starting at rs[i].
func readNumeral(rs []rune, i int) (numeral, bool) {
	if i < 0 || i >= len(rs) {
		return numeral{}, false
	}
	if isDigit(rs[i]) {
		return parseArabic(rs, i)
	}
	if isChineseNumeral(rs[i]) {
		return parseChinese(rs, i)
	}
	return numeral{}, false
}

// Units of measure. Counts (个, 家, 人 …) multiply a magnitude out; money,
// area, length and weight keep it in the unit, as plans write them.
var (
	countMeasures = []string{
		"人次", "户次", "件次", "项次", "个", "家", "所", "座", "处", "项", "条", "名", "人", "户", "套", "栋", "幢", "间",
		"张", "辆", "台", "场", "次", "件", "支", "对", "部", "株", "棵", "只", "头", "艘", "架", "块", "宗", "份", "册",
		"本", "门", "种", "类", "篇", "轮", "位", "例", "片", "盏", "根", "口", "眼", "班", "组", "队", "笔", "款", "枚",
		"匹", "尾", "羽", "批次", "床", "孔", "道", "集", "部",
	}
	amountMeasures = []string{
		"平方公里", "平方千米", "平方米", "立方米", "千瓦时", "标准煤", "吨标准煤", "吨标煤", "公里", "千米", "延米", "公顷",
		"公斤", "千克", "斤", "千瓦", "兆瓦", "千伏", "标箱", "微克/立方米", "毫克/立方米", "立方米/秒", "万千瓦", "美元", "欧元", "港元", "元", "亩", "吨", "米", "㎡", "km",
	}
	percentMeasures = []string{"个百分点", "百分点", "%", "％", "‰"}
)

var measureClass = func() map[string]byte {
	m := map[string]byte{}
	for _, u := range countMeasures {
		m[u] = 'c'
	}
	for _, u := range amountMeasures {
		m[u] = 'a'
	}
	for _, u := range percentMeasures {
		m[u] = 'p'
	}
	return m
}()

// measuresByFirst indexes the units by their first character, longest first.
var measuresByFirst = func() map[rune][]string {
	m := map[rune][]string{}
	for u := range measureClass {
		r, _ := utf8.DecodeRuneInString(u)
		m[r] = append(m[r], u)
	}
	for _, us := range m {
		sort.Slice(us, func(i, j int) bool {
			if len(us[i]) != len(us[j]) {
				return len(us[i]) > len(us[j])
			}
			return us[i] < us[j]
		})
	}
	return m
}()

// measureAt returns the longest unit of measure starting at rs[j] (before
// b), or "".
func measureAt(rs []rune, j, b int) string {
	if j < 0 || j >= b || b > len(rs) {
		return ""
	}
	for _, u := range measuresByFirst[rs[j]] {
		if hasPrefixAt(rs[:b], j, u) {
			return u
		}
	}
	return ""
}

// canonicalMeasure writes a unit the way the labels do (％ → %).
func canonicalMeasure(u string) string {
	switch u {
	case "％":
		return "%"
	case "㎡":
		return "平方米"
	case "km":
		return "公里"
	}
	return u
}

func isCountMeasure(u string) bool   { return measureClass[u] == 'c' }
func isPercentMeasure(u string) bool { return measureClass[u] == 'p' }

// traditionalPairs maps the traditional characters of the words the target
// rules read (units, magnitudes, comparators, verbs of plan work, marks of
// tense) to their simplified forms, two runes per pair. Characters outside
// these words need no fold: the rules never look at them. A pair whose
// simplified form also stands for another traditional word (里 for 裏, 制
// for 製, 周 for 週) is left out, so that writing back stays exact.
const traditionalPairs = "個个萬万億亿項项處处條条戶户張张輛辆臺台場场間间棟栋噸吨畝亩頃顷兩两對对門门種种類类輪轮盞盏組组隊队筆笔冊册塊块頭头隻只" +
	"歐欧標标準准點点內内於于過过達达約约穩稳維维長长減减漲涨壓压縮缩遞递設设創创實实開开進进盤盘啟启動动鞏巩選选擇择資资" +
	"訓训發发舉举辦办織织現现繕缮鋪铺裝装備备關关遷迁綠绿認认廣广蓋盖轉转帶带決决籌筹儲储簽签養养補补貼贴級级擴扩掛挂" +
	"務务幫帮導导獎奖勵励續续貫贯確确爭争計计劃划區区縣县鎮镇續续積积極极斷断繼继紮扎還还將将並并時时為为讓让與与們们" +
	"該该歷历預预剛刚較较顧顾來来經经總总規规號号歲岁專专實实農农業业醫医療疗學学幼幼園园車车機机電电網网線线" +
	"護护環环衛卫廁厕廢废產产營营銷销億亿屆届鄉乡村村區区樓楼莊庄鐵铁橋桥燈灯園园場场館馆體体療疗養养務务貧贫餘余"

var traditionalFold, simplifiedUnfold = func() (map[rune]rune, map[rune]rune) {
	f, u := map[rune]rune{}, map[rune]rune{}
	rs := []rune(traditionalPairs)
	for k := 0; k+1 < len(rs); k += 2 {
		if rs[k] == rs[k+1] {
			continue
		}
		f[rs[k]] = rs[k+1]
		if _, dup := u[rs[k+1]]; !dup {
			u[rs[k+1]] = rs[k]
		}
	}
	return f, u
}()

// foldScript returns rs with traditional characters folded to simplified
// ones, rune for rune, and whether the text reads as traditional (a few
// distinct traditional characters, not a stray one in a name).
//
// A text with nothing to fold (the common case) is returned as it is; the
// caller must not change either slice.
func foldScript(rs []rune) ([]rune, bool) {
	first := -1
	for k, r := range rs {
		if traditionalRunes.has(r) {
			first = k
			break
		}
	}
	if first < 0 {
		return rs, false
	}
	out := make([]rune, len(rs))
	copy(out, rs[:first])
	seen := map[rune]bool{}
	for k := first; k < len(rs); k++ {
		r := rs[k]
		if traditionalRunes.has(r) {
			if s, ok := traditionalFold[r]; ok {
				out[k] = s
				seen[r] = true
				continue
			}
		}
		out[k] = r
	}
	return out, len(seen) >= 5
}

// runeBits is a set of runes of the Basic Multilingual Plane, for a test
// per rune that costs no map lookup.
type runeBits [1 << 16 / 64]uint64

func (b *runeBits) add(r rune) {
	if r >= 0 && r < 1<<16 {
		b[r>>6] |= 1 << (uint(r) & 63)
	}
}

// has reports whether r is in the set; runes beyond the plane never are.
func (b *runeBits) has(r rune) bool {
	return r >= 0 && r < 1<<16 && b[r>>6]&(1<<(uint(r)&63)) != 0
}

// traditionalRunes are the keys of traditionalFold.
var traditionalRunes = func() *runeBits {
	b := new(runeBits)
	for r := range traditionalFold {
		b.add(r)
	}
	return b
}()

// unfoldScript writes a simplified string of the rules back in traditional
// characters, for a text that is written in them.
func unfoldScript(s string) string {
	rs := []rune(s)
	for k, r := range rs {
		if t, ok := simplifiedUnfold[r]; ok {
			rs[k] = t
		}
	}
	return string(rs)
}
