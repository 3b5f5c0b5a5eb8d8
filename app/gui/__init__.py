"""The Qt workstation window; thin over app.pipeline, every slow step on the job runner."""
