package extract

// findTargets finds the quantified targets in the paragraphs. (Placeholder.)
func findTargets(text string, paras []Paragraph) []Target { return nil }
