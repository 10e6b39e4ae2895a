package extract

// Read decodes a document into text. (Placeholder: UTF-8 text only.)
func Read(name string, data []byte) (string, error) { return string(data), nil }

// Normalize cleans text. (Placeholder.)
func Normalize(s string) string { return s }
