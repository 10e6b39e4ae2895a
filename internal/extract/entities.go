package extract

// findEntities finds named projects, places and organisations. (Placeholder.)
func findEntities(text string, paras []Paragraph) []Entity { return nil }
