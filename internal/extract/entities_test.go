package extract

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/duban-org/duban/internal/seed"
)

// lineParagraphs makes one paragraph of every non-empty line, the way plain
// text reaches the entity pass before the structure pass refines it. The
// entity tests use it so that they depend on the entity rules alone.
func lineParagraphs(text string) []Paragraph {
	var ps []Paragraph
	off := 0
	for _, line := range strings.Split(text, "\n") {
		n := utf8.RuneCountInString(line)
		if strings.TrimSpace(line) != "" {
			ps = append(ps, Paragraph{Start: off, End: off + n})
		}
		off += n + 1
	}
	return ps
}

// entityList renders entities as "kind:text" for comparison.
func entityList(es []Entity) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Kind + ":" + e.Text
	}
	return out
}

// checkEntityInvariants checks what must hold for any input: offsets point
// at the text, kinds are known, nothing is reported twice, and no entity is
// empty or holds punctuation.
func checkEntityInvariants(t *testing.T, text string, es []Entity) {
	t.Helper()
	runes := []rune(text)
	seen := map[string]bool{}
	for _, e := range es {
		if e.Start < 0 || e.End > len(runes) || e.Start >= e.End {
			t.Fatalf("entity %q has offsets [%d,%d) outside the text (%d runes)", e.Text, e.Start, e.End, len(runes))
		}
		if got := string(runes[e.Start:e.End]); got != e.Text {
			t.Errorf("entity %q: text at [%d,%d) is %q", e.Text, e.Start, e.End, got)
		}
		switch e.Kind {
		case EntityProject, EntityPlace, EntityOrganisation:
		default:
			t.Errorf("entity %q has unknown kind %q", e.Text, e.Kind)
		}
		if seen[e.Text] {
			t.Errorf("entity %q reported twice", e.Text)
		}
		seen[e.Text] = true
		for _, r := range e.Text {
			if !isNameRune(r) {
				t.Errorf("entity %q holds %q, which is no part of a name", e.Text, r)
			}
		}
	}
}

func TestFindEntities(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"village as example", "打造以张家庄村为代表的休闲农业园区。",
			[]string{"place:张家庄村"}},
		{"example without suffix takes the class after it", "培育以晋阳湖为代表的一批景区。",
			[]string{"place:晋阳湖"}},
		{"projects closed by a quoted set name", "推进科创大厦、数据中心、文化中心等“三大中心”项目建设。",
			[]string{"project:科创大厦", "project:数据中心", "project:文化中心"}},
		{"project with a count before the class", "确保龙城数谷等5个项目按期开工。",
			[]string{"project:龙城数谷"}},
		{"verbs are peeled off the first item", "加快推动汾河智创城等项目建设。",
			[]string{"project:汾河智创城"}},
		{"partners opened by 与 and closed by 合作", "深化与农发行、邮储银行等金融机构合作。",
			[]string{"organisation:农发行", "organisation:邮储银行"}},
		{"partners closed by 开展合作", "与晋商银行、山西大学等开展战略合作。",
			[]string{"organisation:晋商银行", "organisation:山西大学"}},
		{"hospitals", "强化与省人民医院、区中医院等医院合作。",
			[]string{"organisation:省人民医院", "organisation:区中医院"}},
		{"universities closed by 高校", "支持山西大学、太原理工大学等高校建设一流学科。",
			[]string{"organisation:山西大学", "organisation:太原理工大学"}},
		{"companies without a suffix", "推动比亚迪、富士康等龙头企业扩产。",
			[]string{"organisation:比亚迪", "organisation:富士康"}},
		{"a numbered hospital", "全面完成小店区第三人民医院迁建。",
			[]string{"organisation:小店区第三人民医院"}},
		{"a verb inside a name stays when nothing would remain", "深化与中国建设银行合作。",
			[]string{"organisation:中国建设银行"}},
		{"towns", "全力推进北格镇、西温庄乡乡村振兴示范区建设。",
			[]string{"place:北格镇", "place:西温庄乡"}},
		{"subdistricts", "加快推进小店街道、坞城街道便民服务站建设。",
			[]string{"place:小店街道", "place:坞城街道"}},
		{"company with legal form", "引进华为技术有限公司等龙头企业。",
			[]string{"organisation:华为技术有限公司"}},
		{"roads keep their name, not the action", "推动迎泽大街西延、平阳路、体育路等道路改造工程。",
			[]string{"place:迎泽大街", "place:平阳路", "place:体育路"}},
		{"streets after a verb", "精心打造并州路、柳巷特色街区。",
			[]string{"place:并州路"}},
		{"bare villages before an action on places", "强力推进北营、南堰、杨家堡扫尾清零。",
			[]string{"place:北营", "place:南堰", "place:杨家堡"}},
		{"bare villages closed by 整村", "适时启动东峰、西庄等整村拆除。",
			[]string{"place:东峰", "place:西庄"}},
		{"district", "与杏花岭区错位发展。",
			[]string{"place:杏花岭区"}},
		{"centre that is an organisation", "推动区疾控中心标准化建设。",
			[]string{"organisation:区疾控中心"}},
		{"same name twice is reported once", "支持王家峰村发展。王家峰村要带头。",
			[]string{"place:王家峰村"}},

		// Common nouns are not names.
		{"canteens and model communities", "新建27个社区食堂和3个示范社区。", nil},
		{"urban villages and demonstration zones", "加快城中村改造，建设全省一流现代城郊农业示范区。", nil},
		{"a new road as a figure of speech", "坚持转型发展蹚新路。", nil},
		{"a slogan in quotes", "加快建设“健康活力新城、美丽幸福城区”。", nil},
		{"a class after a count", "建设一批现代农业产业基地。", nil},
		{"a verb inside the run ends the clause", "引导社会资本投资建设养老服务中心、日间照料中心。", nil},
		{"a key laboratory", "争创省重点实验室。", nil},
		{"topics closed by 方面", "实施就业、教育、医疗等方面民生项目。", nil},
		{"sectors closed by 要素", "促进劳动力、资本、技术、数据等要素畅通流动。", nil},
		{"a strategy, not a district", "实施产业强区战略。", nil},
		{"a number of roads", "完成一路一特色、一街一风格改造。", nil},
		{"a hierarchy of places", "推动市向县、县向乡下放权力。", nil},
		{"a word with 等 inside", "加强与北京高等院校合作。", nil},
		{"village officials", "选优配强村干部，加强村级组织建设。", nil},
		{"empty", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := findEntities(tt.text, lineParagraphs(tt.text))
			checkEntityInvariants(t, tt.text, got)
			if l := entityList(got); !slices.Equal(l, tt.want) {
				t.Errorf("findEntities(%q)\n got %q\nwant %q", tt.text, l, tt.want)
			}
		})
	}
}

func TestFindEntitiesOffsets(t *testing.T) {
	text := "一、总体要求\n深化与国开行、农开行等金融企业合作。与国开行续签协议。"
	got := findEntities(text, lineParagraphs(text))
	checkEntityInvariants(t, text, got)
	want := []Entity{
		{Text: "国开行", Kind: EntityOrganisation, Start: 10, End: 13},
		{Text: "农开行", Kind: EntityOrganisation, Start: 14, End: 17},
	}
	if !slices.Equal(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestFindEntitiesParagraphs(t *testing.T) {
	text := "推进刘家堡村建设。\n推进王吴村建设。"
	t.Run("only inside paragraphs", func(t *testing.T) {
		got := findEntities(text, []Paragraph{{Start: 10, End: 18}})
		if l := entityList(got); !slices.Equal(l, []string{"place:王吴村"}) {
			t.Errorf("got %q", l)
		}
	})
	t.Run("no paragraphs means the whole text", func(t *testing.T) {
		got := findEntities(text, nil)
		if l := entityList(got); !slices.Equal(l, []string{"place:刘家堡村", "place:王吴村"}) {
			t.Errorf("got %q", l)
		}
	})
	t.Run("offsets out of range are clamped", func(t *testing.T) {
		got := findEntities(text, []Paragraph{{Start: -5, End: 4}, {Start: 10, End: 999}, {Start: 30, End: 20}})
		checkEntityInvariants(t, text, got)
		if l := entityList(got); !slices.Equal(l, []string{"place:王吴村"}) {
			t.Errorf("got %q", l)
		}
	})
	t.Run("a name is not pieced together across paragraphs", func(t *testing.T) {
		got := findEntities("加快建设王\n吴村", nil)
		if len(got) != 0 {
			t.Errorf("got %q", entityList(got))
		}
	})
}

// TestFindEntitiesSeed pins the entities of the seed plan: every name a
// reviewer would list, and nothing else.
func TestFindEntitiesSeed(t *testing.T) {
	text := string(seed.PlanText)
	got := findEntities(text, lineParagraphs(text))
	checkEntityInvariants(t, text, got)
	want := []string{
		"place:小店区",
		"project:会展中心", "project:会议中心", "project:文化中心",
		"project:中兴北斗导航卫星",
		"project:汾东创新城",
		"project:太原国际会展中心金融科创城",
		"project:阿凡达机器人", "project:路桥科技中心",
		"project:太原国家区域科技创新中心",
		"organisation:第一实验室",
		"organisation:国开行", "organisation:农开行",
		"organisation:山西股权交易中心", "organisation:山西证券股份有限公司",
		"organisation:山西白求恩医院", "organisation:市中心医院",
		"place:刘家堡村", "place:王吴村",
		"place:大村", "place:北畔", "place:黄陵", "place:西峰",
		"place:武宿", "place:寺庄", "place:小马", "place:黑驼",
		"place:滨河东路", "place:坞城南路", "place:龙盛街", "place:康宁街", "place:通达街",
		"place:长治路", "place:学府街", "place:长风街",
		"organisation:小店区委新闻中心",
	}
	if l := entityList(got); !slices.Equal(l, want) {
		t.Errorf("seed entities\n got %q\nwant %q", l, want)
	}
}

// TestFindEntitiesJoinedLines checks the seed once its broken lines are
// joined, as normalisation may do: the names split by a line break
// (以\n\n王吴村) must still come out whole.
func TestFindEntitiesJoinedLines(t *testing.T) {
	text := strings.NewReplacer("以\n\n王吴村", "以王吴村", "坞城南路\n\n快速化", "坞城南路快速化").Replace(string(seed.PlanText))
	got := entityList(findEntities(text, lineParagraphs(text)))
	for _, w := range []string{"place:王吴村", "place:坞城南路", "place:龙盛街"} {
		if !slices.Contains(got, w) {
			t.Errorf("%s missing from %q", w, got)
		}
	}
	for _, junk := range []string{"place:快速化", "place:以王吴村"} {
		if slices.Contains(got, junk) {
			t.Errorf("%s should not be an entity", junk)
		}
	}
}

// TestFindEntitiesSamples runs the pass over other governments' plans (read
// in place, never copied) as a check that the rules are not tuned to the
// seed: names that must come out, and fragments that must not.
func TestFindEntitiesSamples(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "eval", "docs")
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("sample documents not present: %v", err)
	}
	tests := []struct {
		file       string
		want, junk []string
	}{
		{"sample-05.txt", []string{"organisation:区疾控中心", "organisation:区中医院"}, []string{"place:加快区", "organisation:中小学幼儿园"}},
		{"sample-08.txt",
			[]string{"place:利民路", "place:墙下塬村", "organisation:王益中学", "project:王益区智慧养老产业园"},
			[]string{"place:一马路"}},
		{"sample-L01.txt",
			[]string{"organisation:清华大学", "organisation:保定银行", "place:复兴路", "place:乐凯大街", "project:大王店工业园", "organisation:保定职业技术学院"},
			[]string{"project:园区和项目", "organisation:北京高", "place:安排市", "place:打击村", "place:市容市", "project:一是河北白洋淀科技城"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(dir, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			text := string(b)
			es := findEntities(text, lineParagraphs(text))
			checkEntityInvariants(t, text, es)
			got := entityList(es)
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("%s missing", w)
				}
			}
			for _, j := range tt.junk {
				if slices.Contains(got, j) {
					t.Errorf("%s should not be an entity", j)
				}
			}
			// No entity opens with a clause opener of two runes or more:
			// that would be a left edge found in the wrong place.
			for _, e := range es {
				if opensWithVerb([]rune(e.Text), true) {
					t.Errorf("%s %q opens with a verb", e.Kind, e.Text)
				}
			}
		})
	}
}

func FuzzEntities(f *testing.F) {
	f.Add("推进会展中心、会议中心、文化中心等“五大中心”项目建设。")
	f.Add("深化与国开行、农开行等金融企业合作。")
	f.Add("强力推进大村、北畔、黄陵、西峰扫尾清零。适时启动武宿、寺庄等整村拆除。")
	f.Add("打造以刘家堡村为代表的休闲观光农业园区、以\n\n王吴村为代表的乡村旅游示范村")
	f.Add("推动滨河东路南延、坞城南路\n快速化、龙盛街东延等道路改造工程")
	f.Add("等等、、“”等“项目")
	f.Add("以为代表")
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			// Normalised text is valid UTF-8; []rune would change offsets.
			text = strings.ToValidUTF8(text, "\uFFFD")
		}
		es := findEntities(text, lineParagraphs(text))
		checkEntityInvariants(t, text, es)
		// The same text as one paragraph must not panic either.
		checkEntityInvariants(t, text, findEntities(text, nil))
	})
}

func BenchmarkFindEntities(b *testing.B) {
	text := string(seed.PlanText)
	paras := lineParagraphs(text)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		findEntities(text, paras)
	}
}
