// Package extract turns the normalised text of a Chinese work plan into a
// draft structure: sections, tasks, quantified targets, named entities,
// suggested responsible units, and flags for what a person must check.
//
// The pipeline: Read decodes a file (txt, docx, html; UTF-8, UTF-16 or
// GB18030, told from the content), Normalize tidies characters and spaces,
// paragraphs broken mid-sentence are rejoined, and the passes find the
// structure, targets, entities and unit suggestions.
//
// It exists because supervision offices retype the year's plan into a task
// table by hand; this package does the first draft so that people only review.
// It never touches storage or HTTP: the CLI and the server call Extract.
//
// All offsets are rune offsets into Document.Text, the normalised text, so a
// reviewer's tool can highlight exactly where each item came from.
package extract
