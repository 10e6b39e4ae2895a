// Package seed holds the embedded default plan: the 2021 work plan of
// Xiaodian District (小店区, Taiyuan, Shanxi) as adopted by its People's
// Congress. A fresh duban serves it, so a newcomer sees a real plan at once.
package seed

import _ "embed"

// PlanText is the seed plan document, UTF-8 text as published.
//
//go:embed xiaodian-2021-plan.txt
var PlanText []byte

// PlanName is the seed document's file name.
const PlanName = "xiaodian-2021-plan.txt"

// Jurisdiction of the seed plan, with its parents (GB/T 2260 codes).
const (
	JurisdictionCode = "140105"
	JurisdictionName = "小店区"
	CityCode         = "140100"
	CityName         = "太原市"
	ProvinceCode     = "140000"
	ProvinceName     = "山西省"
	PlanYear         = 2021
)
