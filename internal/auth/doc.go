// Package auth decides who someone is and what they may do: password hashing
// (argon2id), sessions, and the one authorization policy that every handler
// asks. Keeping the policy in one place is what lets a test enumerate every
// route × every role.
package auth
