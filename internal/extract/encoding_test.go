package extract

import (
	"errors"
	"strings"
	"testing"
)

func TestDecodeText(t *testing.T) {
	const plan = "一、稳住经济基本盘\n全县地区生产总值增长6.5%左右。\n"
	gbPlan := gbk(t, plan)
	tests := []struct {
		name     string
		data     []byte
		declared string
		want     string
	}{
		{"UTF-8", []byte(plan), "", plan},
		{"UTF-8 with BOM", append([]byte("\xEF\xBB\xBF"), plan...), "", plan},
		{"UTF-16LE with BOM", append([]byte{0xFF, 0xFE}, utf16LE(plan)...), "", plan},
		{"UTF-16BE with BOM", append([]byte{0xFE, 0xFF}, utf16BE(plan)...), "", plan},
		{"GB18030", gbPlan, "", plan},
		{"GB18030 four-byte characters", gbk(t, "䶮水河治理€"), "", "䶮水河治理€"},
		{"GB18030 declared", gbPlan, "gb2312", plan},
		{"GB18030 under a false UTF-8 label", gbPlan, "utf-8", plan},
		{"GB18030 under a Latin-1 label", gbPlan, "windows-1252", plan},
		{"unknown label ignored", gbPlan, "x-no-such-charset", plan},
		{"UTF-16 label on 8-bit bytes ignored", gbPlan, "utf-16", plan},
		{"UTF-8 cut in the middle of a character", []byte(plan + "年内")[:len(plan)+4], "", plan + "年\uFFFD"},
		{"GB18030 cut in the middle of a character", gbPlan[:len(gbPlan)-2], "", strings.TrimSuffix(plan, "。\n") + "\uFFFD"},
		{"one bad byte in long UTF-8", []byte(strings.Repeat(plan, 10) + "\xff" + plan), "", strings.Repeat(plan, 10) + "\uFFFD" + plan},
		{"Big5 label honoured", []byte("\xa6\x7e"), "big5", "年"},
		{"ASCII", []byte("Plan 2025\n"), "", "Plan 2025\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeText(tt.data, tt.declared)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDecodeTextRefuses(t *testing.T) {
	tests := []struct {
		name string
		data []byte
	}{
		{"NUL bytes without a BOM", []byte("年内\x00新建")},
		{"UTF-16 without a BOM", utf16LE("Plan 2025")},
		{"random high bytes", []byte(strings.Repeat("\x80\xff\x81\x20\xfe", 50))},
		{"mostly control characters", []byte(strings.Repeat("\x01\x02a", 30))},
		{"damaged UTF-16", append([]byte{0xFF, 0xFE}, []byte(strings.Repeat("\x00\xd8", 40))...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := decodeText(tt.data, "")
			if !errors.Is(err, ErrBinary) {
				t.Errorf("decodeText = %q, %v; want ErrBinary", got, err)
			}
		})
	}
}
