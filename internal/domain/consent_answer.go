// SPDX-License-Identifier: AGPL-3.0-or-later

package domain

import (
	"encoding/json"
	"strconv"
)

// con_Consent is a core HTCDS field and the whole point of a consent
// record: the person's yes or no. Go reads a missing boolean as false, so
// a consent sent without it would be stored as a refusal nobody gave.
// These checks look at a JSON body itself (already decoded strictly by
// the caller): the key must be there, true or false, never absent or null.

const consentAnswerMessage = "is required: true when the person consented, false when they did not"

func consentAnswerMissing(obj map[string]json.RawMessage) bool {
	v, ok := obj["con_Consent"]
	return !ok || string(v) == "null"
}

// MissingConsentAnswer checks the body of one consent record.
func MissingConsentAnswer(raw []byte) Problems {
	var obj map[string]json.RawMessage
	var p Problems
	if json.Unmarshal(raw, &obj) == nil && consentAnswerMissing(obj) {
		p.Add("con_Consent", "validation.required", consentAnswerMessage)
	}
	return p
}

// MissingConsentAnswers checks the consents of a case's body.
func MissingConsentAnswers(raw []byte) Problems {
	var body struct {
		Consents []map[string]json.RawMessage `json:"consents"`
	}
	var p Problems
	if json.Unmarshal(raw, &body) != nil {
		return p
	}
	for i, c := range body.Consents {
		if consentAnswerMissing(c) {
			p.Add("consents["+strconv.Itoa(i)+"].con_Consent", "validation.required", consentAnswerMessage)
		}
	}
	return p
}
