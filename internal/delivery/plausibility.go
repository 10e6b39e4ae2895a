package delivery

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"unicode"

	"github.com/duban-org/duban/internal/plan"
)

// Flag is something a reviewer should look at before accepting a report.
// Flags do not block anything: a cumulative value may fall after a
// statistical revision, and a flag says so in words for the reviewer to judge.
type Flag struct {
	Rule        string `json:"rule"` // cumulative.fell, value.jump, narrative.copied
	TaskID      int64  `json:"task_id"`
	IndicatorID int64  `json:"indicator_id,omitempty"`
	Period      string `json:"period"`
	Reason      Text   `json:"reason"`
}

// PlausibilityRules set how suspicious a figure or a text must be.
type PlausibilityRules struct {
	// JumpFactor: a cycle's change more than this many times the typical
	// change of earlier cycles this year is a jump.
	JumpFactor float64 `json:"jump_factor"`
	// MinHistory is how many earlier changes make a "typical" change.
	MinHistory int `json:"min_history"`
	// CopySimilarity: narratives this similar (0..1, over character pairs)
	// to the previous cycle's are flagged as copied.
	CopySimilarity float64 `json:"copy_similarity"`
	// MinNarrative: shorter narratives ("按计划推进") are legitimately
	// repeated and are not compared.
	MinNarrative int `json:"min_narrative"`
}

// DefaultPlausibilityRules: a jump is four times the typical change, after
// at least two earlier changes; narratives 90 % alike over 20 characters or
// more are copies.
func DefaultPlausibilityRules() PlausibilityRules {
	return PlausibilityRules{JumpFactor: 4, MinHistory: 2, CopySimilarity: 0.9, MinNarrative: 20}
}

// CheckReport flags a report r on task t against the unit's earlier reports
// on the task (history, any order; drafts and returned reports are
// ignored, as are reports of later cycles).
func CheckReport(t plan.Task, r Report, history []Report, cal Calendar, pr PlausibilityRules) []Flag {
	cur, err := cal.Cycle(r.Period)
	if err != nil {
		return nil
	}
	type past struct {
		r *Report
		c Cycle
	}
	var earlier []past
	for i := range history {
		h := &history[i]
		if (h.ID == r.ID && h.ID != 0) || h.TaskID != r.TaskID || h.Period == r.Period || h.State == StateDraft || h.State == StateReturned {
			continue
		}
		c, err := cal.Cycle(h.Period)
		if err != nil || c.End >= cur.End {
			continue
		}
		earlier = append(earlier, past{h, c})
	}
	slices.SortFunc(earlier, func(a, b past) int { return cmp.Or(cmp.Compare(a.c.End, b.c.End), cmp.Compare(a.r.ID, b.r.ID)) })

	var flags []Flag
	for _, in := range t.Indicators {
		v, ok := actualOf(r, in.ID)
		if !ok {
			continue
		}
		// This year's series, as reported (a year-to-date total restarts
		// each January, so last December's total is no yardstick).
		var series []Observation
		for _, p := range earlier {
			if p.c.End.Year() != cur.End.Year() {
				continue
			}
			if a, ok := actualOf(*p.r, in.ID); ok {
				series = append(series, Observation{Period: p.r.Period, On: p.c.End, Value: a.Value, Increment: a.Increment})
			}
		}
		flags = append(flags, checkFigure(t, in, r.Period, v, series, pr)...)
	}

	if len(earlier) > 0 {
		prev := earlier[len(earlier)-1].r
		if s := Similarity(r.Narrative, prev.Narrative); s >= pr.CopySimilarity &&
			textLen(r.Narrative) >= pr.MinNarrative && textLen(prev.Narrative) >= pr.MinNarrative {
			flags = append(flags, Flag{Rule: "narrative.copied", TaskID: t.ID, Period: r.Period, Reason: Text{
				fmt.Sprintf("进展情况与%s报告的文字相似度%s%%，疑似照搬上期", prev.Period, pct(s)),
				fmt.Sprintf("the narrative is %s %% alike to the %s report's: copied from the previous cycle?", pct(s), prev.Period)}})
		}
	}
	return flags
}

func actualOf(r Report, id int64) (Actual, bool) {
	for _, a := range r.Actuals {
		if a.IndicatorID == id {
			return a, true
		}
	}
	return Actual{}, false
}

// checkFigure looks at one new figure against this year's earlier ones.
func checkFigure(t plan.Task, in plan.Indicator, period string, a Actual, series []Observation, pr PlausibilityRules) []Flag {
	var flags []Flag
	flag := func(rule string, zh, en string) {
		flags = append(flags, Flag{Rule: rule, TaskID: t.ID, IndicatorID: in.ID, Period: period, Reason: Text{in.Name + "：" + zh, in.Name + ": " + en}})
	}
	if in.Kind == plan.Cumulative {
		// Running totals, then this cycle's addition.
		var totals []float64
		ytd := 0.0
		for _, o := range series {
			if o.Increment {
				ytd += o.Value
			} else {
				ytd = o.Value
			}
			totals = append(totals, ytd)
		}
		now := a.Value
		if a.Increment {
			now = ytd + a.Value
		}
		if len(totals) > 0 && now < ytd-1e-9 {
			flag("cumulative.fell", fmt.Sprintf("累计值由%s%s降至%s%s，累计数不应减少", num(ytd), in.Unit, num(now), in.Unit),
				fmt.Sprintf("the running total fell from %s to %s %s; a cumulative figure should not fall", num(ytd), num(now), in.Unit))
			return flags
		}
		steps := diffs(append([]float64{0}, totals...))
		added := now - ytd
		if len(steps) >= pr.MinHistory {
			typical := median(steps)
			floor := 0.01 * math.Abs(in.Target) // tiny months must not make every normal month a jump
			if added > pr.JumpFactor*math.Max(typical, floor) && added > floor {
				flag("value.jump", fmt.Sprintf("本期新增%s%s，此前每期中位数%s%s，超过%s倍", num(added), in.Unit, num(typical), in.Unit, num(pr.JumpFactor)),
					fmt.Sprintf("this cycle adds %s %s where the median cycle added %s: more than %s times", num(added), in.Unit, num(typical), num(pr.JumpFactor)))
			}
		}
		return flags
	}
	// Levels and rates: the size of this move against earlier moves.
	if len(series) == 0 {
		return nil
	}
	values := make([]float64, len(series))
	for i, o := range series {
		values[i] = o.Value
	}
	moves := diffs(values)
	for i := range moves {
		moves[i] = math.Abs(moves[i])
	}
	if len(moves) < pr.MinHistory {
		return nil
	}
	last := values[len(values)-1]
	move := a.Value - last
	typical := median(moves)
	floor := 0.01 * math.Max(math.Abs(in.Target), math.Abs(last))
	if math.Abs(move) > pr.JumpFactor*math.Max(typical, floor) {
		flag("value.jump", fmt.Sprintf("由%s%s变为%s%s，变动幅度远超此前各期（中位数%s）", num(last), in.Unit, num(a.Value), in.Unit, num(typical)),
			fmt.Sprintf("moved from %s to %s %s, far beyond earlier moves (median %s)", num(last), num(a.Value), in.Unit, num(typical)))
	}
	return flags
}

func diffs(xs []float64) []float64 {
	if len(xs) < 2 {
		return nil
	}
	out := make([]float64, len(xs)-1)
	for i := 1; i < len(xs); i++ {
		out[i-1] = xs[i] - xs[i-1]
	}
	return out
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// Similarity is the Dice coefficient of two texts' character pairs,
// ignoring spaces and punctuation and treating every digit alike: 1 for the
// same words, still 1 when only the figures were updated (the usual way a
// narrative is copied forward), low for genuinely new text. Character pairs
// suit Chinese, which has no spaces to split words on.
func Similarity(a, b string) float64 {
	pa, pb := pairs(a), pairs(b)
	na, nb := 0, 0
	for _, n := range pa {
		na += n
	}
	for _, n := range pb {
		nb += n
	}
	if na+nb == 0 {
		return 0
	}
	common := 0
	for k, n := range pa {
		common += min(n, pb[k])
	}
	return 2 * float64(common) / float64(na+nb)
}

func pairs(s string) map[[2]rune]int {
	out := map[[2]rune]int{}
	var prev rune
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
			continue
		}
		if unicode.IsDigit(r) {
			r = '0'
		}
		if prev != 0 {
			out[[2]rune{prev, r}]++
		}
		prev = r
	}
	return out
}

func textLen(s string) int {
	n := 0
	for _, r := range s {
		if !unicode.IsSpace(r) && !unicode.IsPunct(r) {
			n++
		}
	}
	return n
}
