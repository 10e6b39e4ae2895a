package extract

import (
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Entity finding works without a dictionary of names, because a plan names
// villages, roads and companies no dictionary holds. Chinese marks names in
// three ways, and each gives one rule:
//
//  1. A name ends in a word that says what it is (刘家堡村, 长治路, 山西白求恩医院,
//     路桥科技中心): suffixRules. The hard part is the left edge, since there
//     are no spaces; the name runs left to punctuation, then the verbs and
//     function words that open a clause (推进, 加快, 深化与) are peeled off.
//  2. A list of names is closed by 等 and a class noun (会展中心、会议中心等“五大
//     中心”项目; 国开行、农开行等金融企业), or opened by 与 and closed by 合作, or
//     framed by 以…为代表: the class noun gives the kind of names that carry
//     no suffix (中兴北斗导航卫星, 国开行).
//  3. Bare place names listed before an action that only applies to places
//     (大村、北畔、黄陵、西峰扫尾清零; 小马、黑驼城改项目).
//
// Precision comes before recall, because every entity is something a reviewer
// reads: a candidate that is only class words (社区食堂, 示范区, 产业园区), that
// opens with a scope word (全省, 一批), or whose left edge cannot be found
// within a name's length is dropped rather than guessed.

// suffixRule says how a name ending in suffix is recognised.
type suffixRule struct {
	suffix string
	kind   string
	// min and max bound the runes of the name before the suffix.
	min, max int
	// genericEnd holds runes that, as the last rune before the suffix, make
	// a common word rather than a name (乡村, 城中村, 示范村, 道路, 步行街).
	genericEnd string
	// notFollowedBy holds runes that, right after the suffix, show it is
	// part of a longer common word (村民, 路径, 区委, 中心城市).
	notFollowedBy string
	// noClassStart rejects names that open with a class word: an
	// administrative place is named by a toponym (小店区), never by a
	// topic (产业强区, 教育大区).
	noClassStart bool
}

// suffixRules are tried longest suffix first at every position.
var suffixRules = sortRules([]suffixRule{
	// Organisations.
	{suffix: "股份有限公司", kind: EntityOrganisation, min: 2, max: 16},
	{suffix: "有限责任公司", kind: EntityOrganisation, min: 2, max: 16},
	{suffix: "有限公司", kind: EntityOrganisation, min: 2, max: 16},
	{suffix: "公司", kind: EntityOrganisation, min: 2, max: 16, genericEnd: "子分总母本该各司", notFollowedBy: "制化"},
	{suffix: "集团", kind: EntityOrganisation, min: 2, max: 12, genericEnd: "大小该各", notFollowedBy: "化"},
	{suffix: "医院", kind: EntityOrganisation, min: 2, max: 14, genericEnd: "级营办立家"},
	{suffix: "卫生院", kind: EntityOrganisation, min: 2, max: 10, genericEnd: "镇乡区"},
	{suffix: "银行", kind: EntityOrganisation, min: 2, max: 14, genericEnd: "业营资村外"},
	{suffix: "大学", kind: EntityOrganisation, min: 2, max: 14, genericEnd: "老放"},
	{suffix: "学院", kind: EntityOrganisation, min: 2, max: 14, genericEnd: "等高"},
	{suffix: "研究院", kind: EntityOrganisation, min: 2, max: 14},
	{suffix: "研究所", kind: EntityOrganisation, min: 2, max: 14},
	{suffix: "科学院", kind: EntityOrganisation, min: 1, max: 14},
	{suffix: "实验室", kind: EntityOrganisation, min: 2, max: 12, genericEnd: "级点"},
	{suffix: "交易所", kind: EntityOrganisation, min: 2, max: 12},
	{suffix: "交易中心", kind: EntityOrganisation, min: 2, max: 12},
	{suffix: "疾控中心", kind: EntityOrganisation, min: 1, max: 10},
	{suffix: "中学", kind: EntityOrganisation, min: 2, max: 10, genericEnd: "初高级小等"},
	{suffix: "小学", kind: EntityOrganisation, min: 2, max: 10, genericEnd: "中级"},
	{suffix: "幼儿园", kind: EntityOrganisation, min: 2, max: 10, genericEnd: "级"},
	{suffix: "商会", kind: EntityOrganisation, min: 2, max: 12, genericEnd: "地"},
	// Projects.
	{suffix: "中心", kind: EntityProject, min: 2, max: 16, genericEnd: "核为重市省区县镇乡村", notFollowedBy: "城区地镇村任工环作位思目组内线点"},
	{suffix: "园区", kind: EntityProject, min: 2, max: 14, genericEnd: "该各"},
	{suffix: "产业园", kind: EntityProject, min: 2, max: 14, notFollowedBy: "区"},
	{suffix: "科技园", kind: EntityProject, min: 2, max: 14, notFollowedBy: "区"},
	{suffix: "工业园", kind: EntityProject, min: 2, max: 14, notFollowedBy: "区"},
	{suffix: "创新园", kind: EntityProject, min: 2, max: 14, notFollowedBy: "区"},
	{suffix: "创新城", kind: EntityProject, min: 2, max: 10},
	{suffix: "科创城", kind: EntityProject, min: 2, max: 16},
	{suffix: "科技城", kind: EntityProject, min: 2, max: 10},
	{suffix: "新城", kind: EntityProject, min: 2, max: 8, genericEnd: "化型"},
	{suffix: "基地", kind: EntityProject, min: 3, max: 14, genericEnd: "产宅"},
	{suffix: "项目", kind: EntityProject, min: 3, max: 14, genericEnd: "区业面域点大类批生目程建设改", notFollowedBy: "录"},
	// Places.
	{suffix: "村", kind: EntityPlace, min: 2, max: 4,
		genericEnd:    "中农乡范政然困整全各该本每点业色明板心民星帮扶山渔新老空城试型级居镇",
		notFollowedBy: "民庄级委落镇干集组容貌务规居内里企道振史社头两户部霸"},
	{suffix: "大街", kind: EntityPlace, min: 2, max: 4, genericEnd: "条"},
	{suffix: "大道", kind: EntityPlace, min: 2, max: 4, genericEnd: "康阳光"},
	{suffix: "街道", kind: EntityPlace, min: 2, max: 4, genericEnd: "干市主小要条区个些", noClassStart: true},
	{suffix: "路", kind: EntityPlace, min: 2, max: 5,
		genericEnd:    "道马公铁思新出线一之门套网电水老弯歧去来陆航环通干支小大主回前后山绕进活销带丝速径末半堵",
		notFollowedBy: "径线网段灯况面由演费基子数上霸"},
	{suffix: "街", kind: EntityPlace, min: 2, max: 4,
		genericEnd:    "业行食色一老古大小上背临沿主后前横条",
		notFollowedBy: "区巷道头面景角坊市办乡"},
	{suffix: "巷", kind: EntityPlace, min: 2, max: 4, genericEnd: "小街背陋里深长老古条", notFollowedBy: "道子"},
	{suffix: "镇", kind: EntityPlace, min: 2, max: 4, genericEnd: "小乡城集点色市建重型各全该本新", notFollowedBy: "村街域级政府长", noClassStart: true},
	{suffix: "乡", kind: EntityPlace, min: 2, max: 3, genericEnd: "城家下故返回送进异外本全各他县镇市老", notFollowedBy: "村镇土亲愁情贤级政长", noClassStart: true},
	{suffix: "县", kind: EntityPlace, min: 2, max: 3, genericEnd: "郡全各市区强点范大业省本该", notFollowedBy: "城级域委政长区乡", noClassStart: true},
	{suffix: "区", kind: EntityPlace, min: 2, max: 3,
		genericEnd:    "范心聚园城社景新片校辖老山库发税贸能验行领载小街市商业展态护游务住集地示核功承矿保省全各我本该军分郊主强大",
		notFollowedBy: "委政人长级域位分间别块划内外县属里", noClassStart: true},
	{suffix: "市", kind: EntityPlace, min: 2, max: 3,
		genericEnd:    "城都超集股楼上全我本各省夜早菜门证开入场县区兴强霸大",
		notFollowedBy: "委政民场级区域容长直属县中内外值貌以", noClassStart: true},
})

// suffixesByLast indexes suffixRules by the last rune of their suffix, in
// the same longest-first order, so that each position of a text is checked
// only against the few suffixes that could end there.
var suffixesByLast = func() map[rune][]int {
	m := map[rune][]int{}
	for i, r := range suffixRules {
		rs := []rune(r.suffix)
		last := rs[len(rs)-1]
		m[last] = append(m[last], i)
	}
	return m
}()

// sortRules orders rules longest suffix first, so that 股份有限公司 is tried
// before 公司.
func sortRules(rs []suffixRule) []suffixRule {
	sort.SliceStable(rs, func(i, j int) bool {
		return len([]rune(rs[i].suffix)) > len([]rune(rs[j].suffix))
	})
	return rs
}

// clauseOpeners are the verbs, adverbs and function words that open a clause in a
// plan and so stand between punctuation and a name. They are peeled off the
// left of a candidate, longest first, as long as a name remains.
var clauseOpeners = newWordSet(
	// function words
	"与", "同", "和", "及", "以", "在", "对", "为", "把", "将", "使", "让", "由", "从", "到", "向", "于", "并", "等", "是", "有", "共", "按", "就", "给", "经", "被",
	"通过", "依托", "围绕", "聚焦", "针对", "按照", "依据", "借助", "结合", "对标", "对接", "面向", "瞄准", "立足", "携手", "联合", "支持", "鼓励", "引导", "重点",
	// adverbs
	"全力", "全面", "积极", "大力", "强力", "精心", "扎实", "稳步", "持续", "着力", "力争", "加速", "加紧", "尽快", "适时", "按期", "同步", "深入", "进一步",
	"切实", "不断", "主动", "充分", "继续", "坚决", "高标准", "高质量", "高水平", "高效", "有序", "率先", "优先", "统筹", "全速", "协同", "集中", "逐步", "分步",
	"着重", "努力", "力促", "全方位", "大幅", "再", "要", "将要", "正式", "成功", "顺利", "基本", "全部", "陆续", "相继", "年内", "今年", "全年", "明年",
	// verbs
	"推进", "推动", "加快", "加强", "打造", "建设", "深化", "强化", "保障", "实施", "开展", "启动", "完成", "建成", "新建", "改造", "提升", "引进", "培育",
	"发展", "发挥", "抓好", "做好", "办好", "落实", "服务", "争创", "创建", "申报", "组建", "成立", "设立", "举办", "承办", "优化", "完善", "健全", "规划",
	"谋划", "开工", "竣工", "续建", "投用", "建立", "构建", "形成", "促进", "实现", "确保", "坚持", "融入", "参与", "配合", "合作", "签约", "引入", "吸引",
	"招引", "拓展", "延伸", "打通", "贯通", "畅通", "拓宽", "修建", "铺设", "整治", "治理", "拆除", "搬迁", "启用", "升级", "改扩建", "扩建", "提质", "推广",
	"助推", "带动", "保持", "巩固", "扩大", "壮大", "做强", "做优", "做大", "做实", "用好", "利用", "盘活", "开发", "承接", "加大", "抓紧", "突出", "筹建",
	"迁建", "新开工", "加快推进", "加快推动", "全力推进", "全力推动", "大力推进", "深入推进", "积极推进", "强力推进", "着力推进", "推进实施", "开工建设",
	"建好", "管好", "用足", "激活", "挖掘", "整合", "策划", "包装", "储备", "洽谈", "落户", "入驻", "入园", "依靠", "增强", "提高", "改善",
	"成为", "作为", "认定为", "列为", "评为", "确定为", "命名为",
	"一是", "二是", "三是", "四是", "五是", "六是", "七是", "八是", "九是", "十是", "首先", "其次", "同时", "此外", "另外", "安排", "认定", "争取",
	"制定", "公开", "打击", "重塑", "申办", "选择", "至少", "确定", "命名", "列入", "纳入", "扶持", "培养", "树立",
	"强化与", "深化与", "加强与", "积极与", "主动与", "推动与", "促成", "达成", "签订", "共建", "共同", "联手", "协助", "援建", "帮扶",
	"保证", "实行", "推行", "开通", "开放", "运营", "运行", "落成", "交付", "新增", "新开", "改建", "重建", "恢复", "打响", "叫响", "唱响",
)

// scopeWords open phrases about a class of things, never a name (全省…, 一批…).
var scopeWords = []string{
	"全省", "全市", "全区", "全县", "全国", "全镇", "全乡", "全村", "全民", "全域", "我省", "我市", "我区", "我县", "本市", "本区", "本县", "各", "该", "每", "某",
	"一批", "一个", "一所", "一座", "一家", "一条", "一处", "一流", "多个", "多家", "若干", "其他", "相关", "部分", "有关", "新一轮", "这些", "那些", "所有",
	"市县乡", "市县", "县乡", "省市", "环首都", "环京津",
	"省级", "市级", "区级", "县级", "镇级", "乡级", "村级", "国家级", "世界级", "国际化", "现代化", "规模化", "标准化",
}

// classWords are words that say what kind of thing something is. A name made
// of nothing else (社区食堂, 产业园区, 文化中心 on its own) is a common noun.
var classWords = newWordSet(
	"产业", "工业", "农业", "现代", "特色", "示范", "重点", "重大", "文化", "旅游", "科技", "创新", "生态", "智慧", "数字", "休闲", "观光", "商业", "物流",
	"综合", "公共", "社区", "城市", "乡村", "农村", "民生", "基础", "服务", "健康", "养老", "医疗", "教育", "体育", "金融", "信息", "数据", "双创", "孵化",
	"研发", "高新", "高端", "新兴", "战略", "绿色", "低碳", "循环", "能源", "新能源", "技术", "企业", "标准", "精品", "美丽", "宜居", "改造", "提升", "扶贫",
	"惠民", "民俗", "非遗", "康养", "都市", "田园", "国家", "区域", "中心", "核心", "行政", "总部", "实验", "人才", "就业", "安全", "应急", "消防", "环保",
	"环境", "交通", "水利", "电力", "通信", "网络", "电子", "政务", "便民", "托育", "幼儿", "学校", "医养", "停车", "农贸", "市场", "大型", "小型", "新型",
	"各类", "主要", "骨干", "龙头", "重要", "专业", "职业", "技能", "公益", "普惠", "保障性", "安置", "棚户", "老旧", "背街", "小巷", "道路", "管网", "污水",
	"垃圾", "供水", "供热", "燃气", "地下", "海绵", "湿地", "公园", "绿地", "幸福", "文明", "和谐", "平安", "法治", "廉洁", "党建", "党群", "志愿", "活动",
	"生产", "加工", "制造", "装备", "材料", "物联网", "互联网", "电商", "跨境", "保税", "口岸", "商贸", "会议", "会展", "展览", "博览", "演艺", "影视", "传媒",
	"设计", "检测", "认证", "培训", "实训", "创业", "众创", "研究", "开发", "试验", "先行", "引领", "承载", "集聚", "聚集", "功能", "配套", "标志性",
	"城乡", "城镇", "街道", "村镇", "乡镇", "景区", "片区", "园区", "街区", "小区", "社会", "群众", "居民", "老年", "儿童", "妇女", "残疾人", "退役", "军人",
	"人民", "市民", "农民", "职工", "青年", "学生", "家庭", "个人", "政府", "部门", "单位", "机构", "组织", "协会", "学会", "高校", "院校", "医院", "卫生",
	"疾控", "中医", "中医药", "中小学", "小学", "中学", "幼儿园", "学前", "义务教育", "活力", "日间照料", "照料", "托养",
	"产学研", "外包", "中小企业", "股份制", "亮化", "绿化", "美化", "雕塑", "景观", "水系", "汽车", "电网", "新材料", "制药", "纺织", "服装", "食品",
	"建材", "医药", "生物", "发展", "度假", "工作", "节能", "化工", "钢铁", "冶金", "电子信息", "大数据", "云计算", "人工智能", "机器人",
	"光伏", "风电", "氢能", "妇幼", "保健", "康复", "护理", "食堂", "餐厅", "超市", "菜市场", "驿站", "书房", "图书", "档案", "纪念", "展示", "体验",
	"数字化", "智能", "智能化", "一体化", "网格化", "信息化", "现代化", "国际", "国内", "省内", "市内", "区内", "省外", "域外", "全域", "城郊", "郊区",
	"农田", "耕地", "林业", "畜牧", "种植", "养殖", "水产", "果蔬", "粮食", "蔬菜", "有机", "旱作", "节水", "灌溉", "高标准", "标准化", "规模化", "封闭",
	"国有", "民营", "集体", "合作", "股份", "投资", "融资", "担保", "保险", "证券", "基金", "银行", "交易", "结算", "支付", "征信", "信用", "工程", "项目",
)

// listClasses are the nouns that close a 等-list and say what its items are.
var listClasses = map[string]string{
	"项目": EntityProject, "工程": EntityProject, "园区": EntityProject, "产业园": EntityProject, "基地": EntityProject, "重点项目": EntityProject,
	"医院": EntityOrganisation, "企业": EntityOrganisation, "金融企业": EntityOrganisation, "金融机构": EntityOrganisation, "机构": EntityOrganisation,
	"银行": EntityOrganisation, "高校": EntityOrganisation, "院校": EntityOrganisation, "科研院所": EntityOrganisation, "院所": EntityOrganisation,
	"大学": EntityOrganisation, "公司": EntityOrganisation, "集团": EntityOrganisation, "学校": EntityOrganisation, "央企": EntityOrganisation,
	"道路": EntityPlace, "路段": EntityPlace, "街巷": EntityPlace, "村庄": EntityPlace, "整村": EntityPlace, "城中村": EntityPlace, "行政村": EntityPlace,
	"自然村": EntityPlace, "村落": EntityPlace, "乡镇": EntityPlace, "社区": EntityPlace, "景区": EntityPlace, "片区": EntityPlace, "县城": EntityPlace,
}

// bareNameClasses are the place classes whose members are named without a
// suffix (武宿、寺庄等整村); roads and streets always carry theirs, so a bare
// item in a road list is an action (快速化), not a name.
var bareNameClasses = newWordSet("村庄", "整村", "城中村", "行政村", "自然村", "村落", "乡镇", "社区", "县城", "片区", "景区")

// listNotClass are words between 等 and a class noun that show the list is
// of topics or sectors, not names (就业、教育等方面民生项目).
var listNotClass = []string{"方面", "领域", "类", "行业", "要素", "问题", "重点", "群体", "人群", "产业", "制造", "装备", "加工"}

// placeActions are words that, right after a bare list, show the items are
// places: only places are cleared, demolished or rebuilt as villages.
var placeActions = toRunes("扫尾", "清零", "整村", "城改", "城中村", "拆除", "拆迁", "征迁", "搬迁", "回迁", "棚改", "村改")

// toRunes converts words once, so that matching them needs no decoding.
func toRunes(words ...string) [][]rune {
	out := make([][]rune, len(words))
	for i, w := range words {
		out[i] = []rune(w)
	}
	return out
}

// wordAt returns the length of the first of words found at i in runes
// (within hi), or 0.
func wordAt(runes []rune, i, hi int, words [][]rune) int {
	for _, w := range words {
		if i+len(w) <= hi && runes[i] == w[0] && slices.Equal(runes[i:i+len(w)], w) {
			return len(w)
		}
	}
	return 0
}

// maxClauseOpener is the length in runes of the longest opener.
var maxClauseOpener = longestWord(clauseOpeners)

// maxClassWord is the length in runes of the longest class word.
var maxClassWord = longestWord(classWords)

func newWordSet(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

func longestWord(m map[string]bool) int {
	n := 0
	for w := range m {
		n = max(n, len([]rune(w)))
	}
	return n
}

// entityCandidate is an entity before overlaps and duplicates are resolved.
type entityCandidate struct {
	start, end int
	kind       string
}

// findEntities finds named projects, places and organisations in the
// paragraphs of text. Offsets are rune offsets into text; every entity's Text
// equals the runes between them. An entity named several times is reported
// once, at its first mention.
func findEntities(text string, paras []Paragraph) []Entity {
	runes := []rune(text)
	spans := paragraphSpans(len(runes), paras)
	var cands []entityCandidate
	for _, sp := range spans {
		cands = append(cands, suffixCandidates(runes, sp[0], sp[1])...)
		cands = append(cands, listCandidates(runes, sp[0], sp[1])...)
		cands = append(cands, representativeCandidates(runes, sp[0], sp[1])...)
		cands = append(cands, placeListCandidates(runes, sp[0], sp[1])...)
	}
	quoted := quotedRunes(runes)
	kept := cands[:0]
	for _, c := range cands {
		// Plans quote slogans and programme nicknames (“健康活力新城”,
		// “教育强区”), not the names of real things.
		if !quoted[c.start] {
			kept = append(kept, c)
		}
	}
	return resolveEntities(runes, kept)
}

// quotedRunes marks the runes inside quotation marks. A line break closes
// any open quote, so one stray mark cannot hide the rest of a document.
func quotedRunes(runes []rune) []bool {
	q := make([]bool, len(runes))
	in := false
	for i, r := range runes {
		switch r {
		case '“', '「', '『':
			in = true
		case '”', '」', '』', '\n':
			in = false
		case '"':
			in = !in
		default:
			q[i] = in
		}
	}
	return q
}

// paragraphSpans returns the valid, clamped paragraph ranges, or the whole
// text when there are none, so that the pass also works before structure.
func paragraphSpans(n int, paras []Paragraph) [][2]int {
	var out [][2]int
	for _, p := range paras {
		s, e := max(p.Start, 0), min(p.End, n)
		if s < e {
			out = append(out, [2]int{s, e})
		}
	}
	if len(out) == 0 && n > 0 {
		out = append(out, [2]int{0, n})
	}
	return out
}

// resolveEntities drops candidates inside longer ones, then duplicates by text, and
// returns the entities in text order.
func resolveEntities(runes []rune, cands []entityCandidate) []Entity {
	sort.Slice(cands, func(i, j int) bool {
		if cands[i].start != cands[j].start {
			return cands[i].start < cands[j].start
		}
		return cands[i].end > cands[j].end
	})
	// In this order a candidate lies inside an earlier one exactly when it
	// ends no later than the furthest end seen so far.
	var kept []entityCandidate
	furthest := -1
	for _, c := range cands {
		if c.end <= furthest {
			continue
		}
		kept = append(kept, c)
		furthest = c.end
	}
	seen := map[string]bool{}
	var out []Entity
	for _, c := range kept {
		t := string(runes[c.start:c.end])
		if seen[t] {
			continue
		}
		seen[t] = true
		out = append(out, Entity{Text: t, Kind: c.kind, Start: c.start, End: c.end})
	}
	return out
}

// isNameRune reports whether r can be part of a name: Han, Latin letters,
// digits and the middle dot of transliterated names.
func isNameRune(r rune) bool {
	return unicode.Is(unicode.Han, r) || r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)) || r == '·'
}

// maxNameRun bounds how far left a name's run is followed. Names are
// short; a longer run without punctuation is only searched for a function
// word that could open a name, and this bound keeps the pass linear.
const maxNameRun = 48

// nameRunStart returns where the run of name runes that ends at end begins,
// looking no further left than lo nor than maxNameRun runes. bounded
// reports that the run really begins there (at punctuation or lo) rather
// than at the search limit.
func nameRunStart(runes []rune, lo, end int) (start int, bounded bool) {
	s := end
	for s > lo && end-s < maxNameRun && isNameRune(runes[s-1]) {
		s--
	}
	return s, s == lo || !isNameRune(runes[s-1])
}

// runesAt reports whether word occurs in runes at i, within [0, hi).
func runesAt(runes []rune, i, hi int, word string) bool {
	for _, r := range word {
		if i >= hi || i < 0 || runes[i] != r {
			return false
		}
		i++
	}
	return true
}

// peelLeft moves start right past clauseOpeners and internal function words while
// at least keep runes remain before end. It returns the new start, and
// counted when a count (一批, 8个) stands right before it: what follows a
// count is a class of things (建设一批…基地), not one named thing.
func peelLeft(runes []rune, start, end, keep int) (int, bool) {
	if c := strongCut(runes, start, end); c >= 0 {
		start = c
	}
	// 和 and 或 join two things (园区和项目) but are also part of names
	// (义和庄, 白沟和道): they cut only after a class word or a suffix.
	for i := end - 1; i > start; i-- {
		if (runes[i] == '和' || runes[i] == '或') && endsInClass(runes[start:i]) {
			start = i + 1
			break
		}
	}
	// A verb inside the run shows the name starts after it (引导社会资本
	// 投资建设|养老服务中心), if a name's length remains: in 中国建设银行
	// nothing would, so 建设 is part of the name.
	for i := end - keep - 1; i > start; i-- {
		if w := wordAt(runes, i, end, innerVerbs); w > 0 && end-(i+w) >= keep {
			start = i + w
			break
		}
	}
	counted := false
	for {
		n := 0
		for l := min(maxClauseOpener, end-start-keep); l >= 1; l-- {
			if clauseOpeners[string(runes[start:start+l])] {
				n = l
				break
			}
		}
		counted = n == 0 && countPrefixLen(runes, start, end-keep) > 0
		if counted {
			n = countPrefixLen(runes, start, end-keep)
		}
		if n == 0 {
			return start, false
		}
		start += n
		if counted {
			return start, true
		}
	}
}

// innerVerbs are verbs that, inside a run, end the clause before a name.
// Verbs that are also nouns in names (服务, 合作, 发展) are left out.
var innerVerbs = toRunes("推进", "推动", "加快", "打造", "建设", "实施", "开展", "完成", "建成", "新建", "启动", "支持", "鼓励", "引导",
	"培育", "提升", "改造", "深化", "强化", "加强", "落实", "保障", "围绕", "依托", "引进", "投资", "争创", "创建", "谋划", "承接", "推广", "打击")

// strongCut returns the position after the last function word in
// [start, end) that a name never contains, or -1. The name starts there
// even when too little is left for a name (the caller then rejects it).
func strongCut(runes []rune, start, end int) int {
	for i := end - 1; i >= start; i-- {
		if strings.ContainsRune("的了把被将及与在对由从给让使", runes[i]) ||
			runes[i] == '等' && enumerationEnd(runes, i, start) ||
			// These also open names (向阳村, 至善街), so only inside a
			// run do they cut.
			i > start && strings.ContainsRune("向至", runes[i]) {
			return i + 1
		}
	}
	return -1
}

// enumerationEnd reports whether the 等 at i closes a list rather than being
// part of a word (高等, 平等, 对等), looking no further left than lo.
func enumerationEnd(runes []rune, i, lo int) bool {
	return i <= lo || !strings.ContainsRune("高平对均同相初中次上优劣何特头", runes[i-1])
}

// endsInClass reports whether s ends in a class word or a name suffix.
func endsInClass(s []rune) bool {
	for l := min(maxClassWord, len(s)); l >= 2; l-- {
		if classWords[string(s[len(s)-l:])] {
			return true
		}
	}
	_, ok := endsInSuffix(s)
	return ok
}

// countPrefixLen returns the length of a count (8个, 两所, 一批) at i, or 0.
func countPrefixLen(runes []rune, i, hi int) int {
	j := i
	for j < hi && (unicode.IsDigit(runes[j]) || strings.ContainsRune("一二两三四五六七八九十百千万几多", runes[j])) {
		j++
	}
	if j == i || j >= hi || !strings.ContainsRune("个家所条处座项批大类", runes[j]) {
		return 0
	}
	return j + 1 - i
}

// isClassPhrase reports whether name (the part before any suffix) is no name at
// all: empty, opening with a scope word or a count, or made only of class
// words.
func isClassPhrase(name []rune) bool {
	if len(name) == 0 {
		return true
	}
	s := string(name)
	for _, w := range scopeWords {
		if strings.HasPrefix(s, w) {
			return true
		}
	}
	for i, r := range name {
		if unicode.IsDigit(r) || countPrefixLen(name, i, len(name)) > 0 && (i == 0 || !strings.ContainsRune("第", name[i-1])) {
			return true
		}
	}
	i := 0
	for i < len(name) {
		n := 0
		for l := min(maxClassWord, len(name)-i); l >= 1; l-- {
			if classWords[string(name[i:i+l])] {
				n = l
				break
			}
		}
		if n == 0 {
			return false
		}
		i += n
	}
	return true
}

// suffixCandidates finds names that end in a suffix of suffixRules.
func suffixCandidates(runes []rune, lo, hi int) []entityCandidate {
	var out []entityCandidate
	for end := lo + 1; end <= hi; end++ {
		for _, k := range suffixesByLast[runes[end-1]] {
			r := suffixRules[k]
			at := end - utf8.RuneCountInString(r.suffix)
			if at < lo || !runesAt(runes, at, hi, r.suffix) {
				continue
			}
			if c, ok := suffixCandidate(runes, lo, hi, at, end, r); ok {
				out = append(out, c)
			}
			break // the longest suffix ending here decides
		}
	}
	return out
}

// suffixCandidate checks one suffix occurrence at [at, end).
func suffixCandidate(runes []rune, lo, hi, at, end int, r suffixRule) (entityCandidate, bool) {
	if end < hi && strings.ContainsRune(r.notFollowedBy, runes[end]) {
		return entityCandidate{}, false
	}
	start, bounded := nameRunStart(runes, lo, at)
	if !bounded {
		// Too long a run: only a function word inside it can show where
		// a name begins.
		if start = strongCut(runes, start, at); start < 0 {
			return entityCandidate{}, false
		}
	}
	start, counted := peelLeft(runes, start, at, r.min)
	name := runes[start:at]
	if counted || len(name) < r.min || len(name) > r.max {
		return entityCandidate{}, false
	}
	if r.noClassStart && strings.ContainsRune("省市区县", name[0]) {
		return entityCandidate{}, false
	}
	if strings.ContainsRune(r.genericEnd, name[len(name)-1]) {
		return entityCandidate{}, false
	}
	road := r.suffix == "路" || r.suffix == "街" || r.suffix == "大街" || r.suffix == "大道" || r.suffix == "巷"
	if isClassPhrase(name) || opensWithVerb(name, road) {
		return entityCandidate{}, false
	}
	if r.noClassStart && opensWithClassWord(name) {
		return entityCandidate{}, false
	}
	// A name opening with a suffix word of its own kind of place is a
	// fragment of a longer phrase (村路, 街路).
	if r.kind == EntityPlace && strings.ContainsRune("村路街镇乡", name[0]) {
		return entityCandidate{}, false
	}
	kind := r.kind
	if r.suffix == "中心" && kindFromSuffix(name) == EntityOrganisation {
		kind = EntityOrganisation
	}
	return entityCandidate{start: start, end: end, kind: kind}, true
}

// opensWithVerb reports whether name opens with a verb or adverb of two
// runes or more that peeling had to leave because too little would remain
// (推进大 in 推进大村, 加快 in 加快区): the left edge is wrong, so there is no
// name. Streets are often named by such a word (建设路, 解放路): whole
// reports whether a name that is exactly the word stays.
func opensWithVerb(name []rune, whole bool) bool {
	n := len(name)
	if whole {
		n--
	}
	for l := min(maxClauseOpener, n); l >= 2; l-- {
		if clauseOpeners[string(name[:l])] {
			return true
		}
	}
	return false
}

// opensWithClassWord reports whether name opens with a class word.
func opensWithClassWord(name []rune) bool {
	for l := min(maxClassWord, len(name)); l >= 2; l-- {
		if classWords[string(name[:l])] {
			return true
		}
	}
	return false
}

// kindFromSuffix tells a centre that is an organisation (…交易中心, …疾控中心,
// …研究中心) from one that is a building or a project (会展中心).
func kindFromSuffix(name []rune) string {
	s := string(name)
	for _, w := range []string{"交易", "疾控", "检测", "检验", "研究", "新闻", "指挥", "调度", "监测", "救助", "培训", "服务", "信息", "数据"} {
		if strings.HasSuffix(s, w) {
			return EntityOrganisation
		}
	}
	return EntityProject
}

// endsInSuffix reports the rule of a suffix the item ends with, if any.
func endsInSuffix(item []rune) (suffixRule, bool) {
	s := string(item)
	for _, r := range suffixRules {
		if strings.HasSuffix(s, r.suffix) && len(item) > len([]rune(r.suffix)) {
			return r, true
		}
	}
	return suffixRule{}, false
}

// listItem is one item of a 、-list.
type listItem struct{ start, end int }

// listBefore collects the 、-separated items that end at end: the last item
// is the run of name runes before end; earlier items are separated by 、.
// The first item's left edge is found by peeling clauseOpeners; opener reports the
// word peeled right before the first item (与 in 深化与国开行).
func listBefore(runes []rune, lo, end int) (items []listItem, opener string) {
	e := end
	for {
		s, bounded := nameRunStart(runes, lo, e)
		if s == e || !bounded {
			return nil, ""
		}
		if s > lo && runes[s-1] == '、' {
			items = append(items, listItem{s, e})
			e = s - 1
			continue
		}
		p, counted := peelLeft(runes, s, e, 2)
		if counted {
			return nil, ""
		}
		if p > s {
			opener = string(runes[s:p])
		}
		items = append(items, listItem{p, e})
		break
	}
	// Reverse into text order.
	for i, j := 0, len(items)-1; i < j; i, j = i+1, j-1 {
		items[i], items[j] = items[j], items[i]
	}
	return items, opener
}

// listClass is what follows a list's 等.
type listClass struct {
	kind string
	// bare reports whether items without a suffix can be names of this
	// class (国开行 in a list of banks, but not 快速化 in a list of roads).
	bare bool
	// nickname reports a quoted name for the whole set (“五大中心”): the
	// items are then specific things even when their words are common.
	nickname bool
}

// classAfter finds the class noun after a list's 等 at i: it skips a quoted
// nickname (“五大中心”) and a count (8个), then looks for a class noun within
// a few runes. withPartner reports a list opened by 与 and closed by 合作.
func classAfter(runes []rune, i, hi int, withPartner bool) (listClass, bool) {
	var c listClass
	if i < hi && (runes[i] == '“' || runes[i] == '"') {
		for i++; i < hi && runes[i] != '”' && runes[i] != '"'; i++ {
		}
		i++
		c.nickname = true
	}
	i += countPrefixLen(runes, i, hi)
	const window = 8
	for j := i; j < hi && j < i+window && isNameRune(runes[j]); j++ {
		for l := 4; l >= 1; l-- {
			if j+l > hi {
				continue
			}
			word := string(runes[j : j+l])
			kind, ok := listClasses[word]
			if !ok {
				continue
			}
			mod := string(runes[i:j])
			for _, w := range listNotClass {
				if strings.Contains(mod, w) && !(w == "产业" && kind == EntityProject) {
					return c, false
				}
			}
			c.kind = kind
			c.bare = kind != EntityPlace || bareNameClasses[word]
			return c, true
		}
		if withPartner && runesAt(runes, j, hi, "合作") {
			c.kind, c.bare = EntityOrganisation, true
			return c, true
		}
	}
	return c, false
}

// listCandidates finds items of lists closed by 等 and a class noun.
func listCandidates(runes []rune, lo, hi int) []entityCandidate {
	var out []entityCandidate
	for i := lo + 1; i < hi; i++ {
		if runes[i] != '等' || !enumerationEnd(runes, i, lo) {
			continue
		}
		items, opener := listBefore(runes, lo, i)
		if len(items) == 0 {
			continue
		}
		partner := false
		for _, w := range []string{"与", "同", "联合", "携手"} {
			partner = partner || strings.HasSuffix(opener, w)
		}
		class, ok := classAfter(runes, i+1, hi, partner)
		if !ok {
			continue
		}
		out = append(out, listItems(runes, items, class)...)
	}
	return out
}

// listItems turns list items into candidates. A list counts only if one
// item at least is a proper name, or the set has a nickname. An item with a
// suffix takes the suffix's kind, except that a centre or a park in a list
// of partners is a partner; a bare item must look like a name on its own.
func listItems(runes []rune, items []listItem, class listClass) []entityCandidate {
	proper := class.nickname
	for _, it := range items {
		name := runes[it.start:it.end]
		if r, ok := endsInSuffix(name); ok {
			name = name[:len(name)-len([]rune(r.suffix))]
		}
		if !isClassPhrase(name) && !opensWithVerb(name, false) {
			proper = true
		}
	}
	if !proper {
		return nil
	}
	var out []entityCandidate
	for _, it := range items {
		item := runes[it.start:it.end]
		if len(item) < 2 || len(item) > 20 || opensWithVerb(item, false) {
			continue
		}
		if r, ok := endsInSuffix(item); ok {
			kind := r.kind
			if kind == EntityProject && class.kind == EntityOrganisation {
				kind = EntityOrganisation
			}
			out = append(out, entityCandidate{it.start, it.end, kind})
			continue
		}
		// An item holding a named road or village and an action
		// (滨河东路南延) gives the name, found by the suffix rule.
		if inner := suffixCandidates(runes, it.start, it.end); len(inner) > 0 {
			out = append(out, inner...)
			continue
		}
		if !class.bare {
			continue
		}
		min := 3
		if class.kind == EntityPlace {
			min = 2
		}
		// A bare item joining two things (喜之郎和西麦) is two names or
		// none; either way the item as a whole is not one.
		if len(item) < min || isClassPhrase(item) || strings.ContainsAny(string(item[1:]), "和或及") {
			continue
		}
		out = append(out, entityCandidate{it.start, it.end, class.kind})
	}
	return out
}

// representativeCandidates finds X in 以X为代表: a name chosen as an example.
func representativeCandidates(runes []rune, lo, hi int) []entityCandidate {
	var out []entityCandidate
	for i := lo; i < hi; i++ {
		if !runesAt(runes, i, hi, "为代表") {
			continue
		}
		s, _ := nameRunStart(runes, lo, i)
		// Find the 以 that opens the frame; without it the phrase is not a
		// naming one (成为代表 …).
		j := -1
		for k := i - 1; k >= s; k-- {
			if runes[k] == '以' {
				j = k
				break
			}
		}
		if j < 0 || i-(j+1) < 2 || i-(j+1) > 16 {
			continue
		}
		item := runes[j+1 : i]
		kind := ""
		if r, ok := endsInSuffix(item); ok {
			kind = r.kind
			if isClassPhrase(item[:len(item)-len([]rune(r.suffix))]) {
				continue
			}
		} else {
			if isClassPhrase(item) {
				continue
			}
			after := i + len([]rune("为代表"))
			if runesAt(runes, after, hi, "的") {
				after++
			}
			if c, ok := classAfter(runes, after, hi, false); ok && c.bare {
				kind = c.kind
			}
		}
		if kind != "" {
			out = append(out, entityCandidate{j + 1, i, kind})
		}
	}
	return out
}

// placeListCandidates finds bare lists of place names right before an
// action only done to places: 大村、北畔、黄陵、西峰扫尾清零.
func placeListCandidates(runes []rune, lo, hi int) []entityCandidate {
	var out []entityCandidate
	for i := lo + 1; i < hi; i++ {
		if wordAt(runes, i, hi, placeActions) == 0 {
			continue
		}
		end := i
		if runes[end-1] == '等' {
			end--
		}
		items, _ := listBefore(runes, lo, end)
		if len(items) < 2 {
			continue
		}
		ok := true
		for _, it := range items {
			item := runes[it.start:it.end]
			if len(item) < 2 || len(item) > 3 || isClassPhrase(item) {
				ok = false
				break
			}
			for _, r := range item {
				if !unicode.Is(unicode.Han, r) {
					ok = false
				}
			}
		}
		if !ok {
			continue
		}
		for _, it := range items {
			out = append(out, entityCandidate{it.start, it.end, EntityPlace})
		}
	}
	return out
}
