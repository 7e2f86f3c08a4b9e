export {
  AGENCY_CODES_ONLY,
  AgencyDirectory,
  type AgencyDirectoryOptions,
  type AgencyNames,
} from './agency-names';
