"""Answering: the query protocol (protocol), its composition over a backend's hooks (composed, with
the rows of records), fusion and scoring of candidates, calibrated confidences (confidence, coding),
titles, free-text analysis (sentences, analysis, lexical), results and input validation."""
