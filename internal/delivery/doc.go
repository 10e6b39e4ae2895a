// Package delivery runs a published plan: reporting cycles and the reports
// units owe in them, the office's review, status against time-proportional
// progress (序时进度) with a traffic light and its reason, reminders (催办),
// supervision notices (督办单), extensions and unit scoring (考核).
//
// The rules are plain functions of the plan, the reports and a date, so a
// test can run a whole year on a test clock; storage and HTTP only call them.
package delivery
