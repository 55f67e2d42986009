@echo off
rem The office console in the default browser (renkei office ui).
"%~dp0renkei.exe" office ui %*
if errorlevel 1 pause
